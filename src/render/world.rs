//! The Typst world casepaper compiles in: fonts embedded in the binary, the
//! standard library built once, and files served only from the template set.
//!
//! Modelled on typst-cli's `SystemWorld`, cut down to what paperwork needs:
//! no packages, no system fonts, no network, no clock. Every document's
//! generated source is served under one file id (`/main.typ`): Typst interns
//! file ids in 16 bits, so a new id per document would run out after 65,535
//! documents, and one id lets Typst's caches carry over between documents.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook, FontInfo};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_kit::diagnostics::DiagnosticWorld;
use typst_kit::fonts::FontStore;

use super::templates::TemplateSet;

/// The file id of every document's generated main source.
static MAIN: LazyLock<FileId> = LazyLock::new(|| {
    let path = VirtualPath::new("/main.typ").expect("a fixed, valid path");
    FileId::new(RootedPath::new(VirtualRoot::Project, path))
});

/// What stays warm across documents: library, fonts, template files and the
/// parsed sources of the template set's Typst files.
pub struct Engine {
    library: LazyHash<Library>,
    fonts: FontStore,
    templates: TemplateSet,
    sources: Mutex<HashMap<FileId, Source>>,
}

/// Every font the documents can use: those embedded in casepaper and the
/// template set's own (the sans family the documents use, and any a program
/// adds to its templates/fonts/).
fn all_fonts(templates: &TemplateSet) -> impl Iterator<Item = (Font, FontInfo)> + '_ {
    let own = templates.files().filter(|(name, _)| {
        let lower = name.to_ascii_lowercase();
        [".ttf", ".otf", ".ttc", ".otc"]
            .iter()
            .any(|ext| lower.ends_with(ext))
    });
    typst_kit::fonts::embedded().chain(own.flat_map(|(_, bytes)| {
        Font::iter(bytes.clone()).map(|font| {
            let info = font.info().clone();
            (font, info)
        })
    }))
}

/// Which characters the documents' fonts can print. Typst refuses to put a
/// character no font has into an archival PDF, so validation asks this
/// first and names the field instead.
pub struct Glyphs {
    /// The Basic Multilingual Plane, one bit a code point.
    bmp: Vec<u64>,
    /// The code points above it that some font has.
    above: std::collections::HashSet<u32>,
}

impl Glyphs {
    pub fn of(templates: &TemplateSet) -> Glyphs {
        let mut bmp = vec![0u64; 0x10000 / 64];
        let mut above = std::collections::HashSet::new();
        for (_, info) in all_fonts(templates) {
            for c in info.coverage.iter() {
                if c < 0x10000 {
                    bmp[c as usize / 64] |= 1 << (c % 64);
                } else {
                    above.insert(c);
                }
            }
        }
        Glyphs { bmp, above }
    }

    /// Whether `c` prints: some font has it, or it is white space.
    pub fn prints(&self, c: char) -> bool {
        let n = c as u32;
        if n < 0x10000 {
            self.bmp[n as usize / 64] & (1 << (n % 64)) != 0 || c.is_whitespace()
        } else {
            self.above.contains(&n)
        }
    }
}

impl Engine {
    pub fn new(templates: TemplateSet) -> Engine {
        let mut fonts = FontStore::new();
        fonts.extend(all_fonts(&templates));
        Engine {
            library: LazyHash::new(Library::builder().build()),
            fonts,
            templates,
            sources: Mutex::new(HashMap::new()),
        }
    }

    /// A world for compiling one document from its generated source.
    pub fn world(&self, main_source: String) -> DocWorld<'_> {
        DocWorld {
            engine: self,
            main: Source::new(*MAIN, main_source),
        }
    }
}

/// One document's view of the engine.
pub struct DocWorld<'a> {
    engine: &'a Engine,
    main: Source,
}

impl DocWorld<'_> {
    /// The bytes of a template-set file, refusing anything else.
    fn read(&self, id: FileId) -> FileResult<&Bytes> {
        if !matches!(id.root(), VirtualRoot::Project) {
            return Err(FileError::Other(Some(
                "packages are not available to casepaper templates".into(),
            )));
        }
        let path = id.vpath().get_with_slash();
        self.engine
            .templates
            .get(path)
            .ok_or_else(|| FileError::NotFound(path.trim_start_matches('/').into()))
    }
}

impl World for DocWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.engine.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.engine.fonts.book()
    }

    fn main(&self) -> FileId {
        *MAIN
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == *MAIN {
            return Ok(self.main.clone());
        }
        let mut cache = self
            .engine
            .sources
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if let Some(source) = cache.get(&id) {
            return Ok(source.clone());
        }
        let text = std::str::from_utf8(self.read(id)?).map_err(|_| FileError::InvalidUtf8)?;
        let source = Source::new(id, text.to_string());
        cache.insert(id, source.clone());
        Ok(source)
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == *MAIN {
            return Ok(Bytes::from_string(self.main.clone()));
        }
        Ok(self.read(id)?.clone())
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.engine.fonts.font(index)
    }

    /// No clock: documents show dates from the records only, so the same
    /// records give the same pages on any day.
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}

impl DiagnosticWorld for DocWorld<'_> {
    fn name(&self, id: FileId) -> String {
        if id == *MAIN {
            "generated document (see --emit typst)".into()
        } else {
            format!("templates{}", id.vpath().get_with_slash())
        }
    }
}
