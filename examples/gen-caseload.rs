//! Writes a synthetic caseload for benchmarks: N fictional cases that pass
//! `casepaper validate`, the same for the same N and seed.
//!
//!     cargo run --release --example gen-caseload -- N DIR [SEED]
//!
//! Each case has 8 to 14 services, 4 to 8 outcomes with progress entries,
//! 12 to 30 months of contact notes (2 to 6 a month), an initiation consent
//! and a continuation consent at every review; half have a transition plan
//! and a fifth an exit. DIR gets `program.yaml` (the sample program) and one
//! folder per case; it must not exist yet or be empty.

mod caseload;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(n), Some(dir)) = (args.first().and_then(|n| n.parse().ok()), args.get(1)) else {
        eprintln!("usage: gen-caseload N DIR [SEED]");
        std::process::exit(2);
    };
    let seed = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1);
    match caseload::write(std::path::Path::new(dir), n, seed) {
        Ok(files) => eprintln!("wrote {n} cases ({files} record files) into {dir}"),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
