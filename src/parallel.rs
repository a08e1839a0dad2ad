//! Work spread over the machine's cores, results kept in order.
//!
//! Plain scoped threads rather than a rayon pool: Typst and the PDF writer
//! use rayon inside, and a rayon worker waiting on that inner work would
//! steal another whole document, holding several half-made documents (and
//! their memory) on one thread and mixing their timings.

use std::sync::atomic::{AtomicUsize, Ordering};

/// How many threads work in parallel: one per core.
pub fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Runs `work` on every item, each thread taking the next item as it
/// finishes one; the results come back in the items' order, so output does
/// not depend on which thread finished first.
pub fn map<'a, T: Sync, R: Send>(items: &'a [T], work: impl Fn(&'a T) -> R + Sync) -> Vec<R> {
    let threads = threads().min(items.len());
    if threads <= 1 {
        return items.iter().map(work).collect();
    }
    let next = AtomicUsize::new(0);
    let mut results: Vec<(usize, R)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        done.push((i, work(item)));
                    }
                    done
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| match w.join() {
                Ok(done) => done,
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    });
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

/// Like [`map`], but each item is moved into `work`.
pub fn map_owned<T: Send, R: Send>(items: Vec<T>, work: impl Fn(T) -> R + Sync) -> Vec<R> {
    let slots: Vec<std::sync::Mutex<Option<T>>> = items
        .into_iter()
        .map(|t| std::sync::Mutex::new(Some(t)))
        .collect();
    map(&slots, |slot| {
        let item = slot
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
            .expect("each item is taken once");
        work(item)
    })
}

/// Like [`map`], but the items are taken up in the order of `key` (items
/// of equal keys in their own order), while the results still come back in
/// the items' order.
pub fn map_taken_by<'a, T: Sync, K: Ord, R: Send>(
    items: &'a [T],
    key: impl Fn(&T) -> K,
    work: impl Fn(&'a T) -> R + Sync,
) -> Vec<R> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&i| key(&items[i]));
    let done = map(&order, |&i| work(&items[i]));
    let mut slots: Vec<Option<R>> = std::iter::repeat_with(|| None).take(items.len()).collect();
    for (i, result) in order.into_iter().zip(done) {
        slots[i] = Some(result);
    }
    slots
        .into_iter()
        .map(|slot| slot.expect("each item is done once"))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_come_back_in_order() {
        let items: Vec<u64> = (0..1000).collect();
        let squares = super::map(&items, |n| n * n);
        assert_eq!(squares, items.iter().map(|n| n * n).collect::<Vec<_>>());
    }

    #[test]
    fn items_are_taken_up_by_key_and_come_back_in_order() {
        let items: Vec<u64> = (0..1000).collect();
        let taken = std::sync::Mutex::new(Vec::new());
        let squares = super::map_taken_by(
            &items,
            |n| n % 3,
            |n| {
                taken.lock().unwrap().push(*n);
                n * n
            },
        );
        assert_eq!(squares, items.iter().map(|n| n * n).collect::<Vec<_>>());
        // Taken up by key: the 334 multiples of three first (threads start
        // items in order but may note them a little out of it, so the first
        // 300 noted), in their order on each thread.
        let taken = taken.into_inner().unwrap();
        assert_eq!(taken.len(), 1000);
        assert!(taken[..300].iter().all(|n| n % 3 == 0), "{taken:?}");
    }
}
