//! The escaper's promise: any text a record can hold, written into a
//! document by `escape::typst_text`, compiles, and the text laid out
//! between two markers is exactly that text (white space and invisible
//! format characters aside): nothing of it ran as Typst markup or code,
//! nothing was dropped, nothing added.
//! Text that validation refuses (control characters, private use, characters
//! no font has) never reaches the escaper and is skipped.

#![no_main]

use std::sync::{Arc, LazyLock};

use casepaper::testing::{
    BODY_FOLLOWS, Glyphs, INTERNAL, Renderer, TemplateSet, typst_text, unprintable,
};
use libfuzzer_sys::fuzz_target;

struct Setup {
    renderer: Renderer,
    glyphs: Glyphs,
}

static SETUP: LazyLock<Setup> = LazyLock::new(|| {
    let templates = TemplateSet::load(None).expect("the built-in templates");
    let translations = Arc::new(templates.translations().unwrap());
    let glyphs = Glyphs::of(&templates);
    Setup {
        renderer: Renderer::new(templates, translations).unwrap(),
        glyphs,
    }
});

const BEFORE: &str = "QQSTARTQQ";
const AFTER: &str = "QQENDQQ";

fuzz_target!(|text: &str| {
    let setup = &*SETUP;
    if text.chars().any(|c| unprintable(c).is_some() || !setup.glyphs.prints(c)) {
        return;
    }
    // As in every document: the body after the page setup is handed to
    // Typst as one string through `document-body`.
    let source = format!(
        "#import \"blocks.typ\": *\n\
         #set page(width: 12cm, height: auto, margin: 1cm)\n\
         #set text(font: \"Noto Sans\", size: 10pt, lang: \"en\")\n\
         {BODY_FOLLOWS}\n\
         {BEFORE} {} {AFTER}\n",
        typst_text(text)
    );
    let laid_out = match setup.renderer.laid_out_text(source.clone()) {
        Ok(laid_out) => laid_out,
        // A panic inside Typst, contained by casepaper: a fault of the
        // engine's (the document fails with an error, the run goes on), not
        // of the escaping. It is listed, and fuzzing goes on.
        Err(err) if err.0.starts_with(INTERNAL) => {
            eprintln!("contained engine panic on {text:?}: {}", err.0);
            return;
        }
        Err(err) => panic!("escaped text does not compile: {err}\n{source}"),
    };
    let squeezed: String = laid_out.chars().filter(|&c| visible(c)).collect();
    let start = squeezed.find(BEFORE).expect("the first marker") + BEFORE.len();
    let end = squeezed.rfind(AFTER).expect("the second marker");
    let printed = &squeezed[start..end];
    let expected: String = text.chars().filter(|&c| visible(c)).collect();
    if complex(text) {
        // Right-to-left runs are laid out in display order, and Typst's
        // text layer repeats a cluster of combining marks that is split
        // across fonts (the page shows it once): for such text only which
        // characters print can be compared, not their order or count.
        let mut a: Vec<char> = printed.chars().collect();
        let mut b: Vec<char> = expected.chars().collect();
        for chars in [&mut a, &mut b] {
            chars.sort_unstable();
            chars.dedup();
        }
        assert_eq!(a, b, "text changed in layout: {text:?}");
    } else {
        assert_eq!(printed, expected, "text changed in layout: {text:?}");
    }
});

/// Whether a character shows as ink: not white space, and not one of
/// Unicode's default-ignorable characters (joiners, directional marks,
/// variation selectors, soft hyphens), which layout may keep or drop
/// without changing what is printed.
fn visible(c: char) -> bool {
    !c.is_whitespace()
        && !matches!(c as u32,
            0x00AD | 0x034F | 0x061C | 0x115F..=0x1160 | 0x17B4..=0x17B5
            | 0x180B..=0x180F | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F
            | 0x3164 | 0xFE00..=0xFE0F | 0xFEFF | 0xFFA0 | 0x1BCA0..=0x1BCA3
            | 0x1D173..=0x1D17A | 0xE0000..=0xE0FFF)
}

/// Whether the text holds right-to-left script, bidirectional controls,
/// combining marks or scripts that shape clusters (Indic, Thai, ...).
fn complex(text: &str) -> bool {
    text.chars().any(|c| {
        matches!(c as u32,
            0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x0FFF | 0x1000..=0x1DFF
            | 0x20D0..=0x20FF | 0xFB1D..=0xFDFF | 0xFE20..=0xFE2F | 0xFE70..=0xFEFF
            | 0x10800..=0x10FFF | 0x1E800..=0x1EFFF
            | 0x200E | 0x200F | 0x202A..=0x202E | 0x2066..=0x2069)
    })
}
