"""The peer for the benchmark: the typst Python binding (PyPI `typst`, the
same Typst 0.15) compiling the Typst sources casepaper emitted
(`render --emit typst`), on one thread, with one warm compiler, the same
template files, fonts and PDF standards (PDF/A-2a and PDF/UA-1).

    python3 -m venv /tmp/peer && /tmp/peer/bin/pip install 'typst==0.15.*'
    /tmp/peer/bin/python examples/peer.py OUT TEMPLATES LOGO FONTS...

OUT is a `render --emit typst` output folder (case folders holding .typ
files), TEMPLATES casepaper's templates folder, LOGO the program's logo file
and FONTS the font folders (typst-assets' fonts, which casepaper embeds, and
TEMPLATES/fonts). Prints `peer: kind=K documents=N ms_per_document=X` per
kind and `peer: documents=N seconds=S documents_per_second=R`.
"""

import pathlib
import shutil
import sys
import tempfile
import time

import typst


def kind_of(stem):
    """The document kind of an emitted file's stem, as casepaper names it."""
    for kind in ("meeting-notice", "notice", "consent"):
        if stem.startswith(kind + "-") or stem == kind:
            return kind
    for kind in ("services-grid", "outcomes", "contacts", "transition", "exit-letter", "plan"):
        if stem == kind or stem.startswith(kind + "-"):
            return kind
    return "other"


def main():
    out, templates, logo = (pathlib.Path(a) for a in sys.argv[1:4])
    fonts = [str(pathlib.Path(f)) for f in sys.argv[4:]]
    sources = sorted(out.glob("*/*.typ"))
    if not sources:
        sys.exit(f"no .typ files under {out}: render with --emit typst first")
    with tempfile.TemporaryDirectory() as root:
        root = pathlib.Path(root)
        for f in templates.iterdir():
            if f.is_file():
                shutil.copy(f, root / f.name)
        shutil.copy(logo, root / ("program-logo" + logo.suffix))
        main_file = root / "main.typ"
        main_file.write_text("")
        compiler = typst.Compiler(main_file, root=root, font_paths=fonts, ignore_system_fonts=True)
        by_kind = {}
        start = time.perf_counter()
        for source in sources:
            main_file.write_bytes(source.read_bytes())
            began = time.perf_counter()
            compiler.compile(format="pdf", pdf_standards=["a-2a", "ua-1"])
            took = time.perf_counter() - began
            kind = by_kind.setdefault(kind_of(source.stem), [0, 0.0])
            kind[0] += 1
            kind[1] += took
        wall = time.perf_counter() - start
    for kind, (n, secs) in sorted(by_kind.items()):
        print(f"peer: kind={kind} documents={n} ms_per_document={1000 * secs / n:.1f}")
    n = len(sources)
    print(f"peer: documents={n} seconds={wall:.3f} documents_per_second={n / wall:.1f}")


if __name__ == "__main__":
    main()
