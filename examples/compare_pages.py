"""Compares the pages of two render output folders: every PDF of the first
is drawn at 50 dpi (`pdftoppm -r 50`) beside the PDF of the same name in
the second, page by page, and its text (`pdftotext -layout`) compared.

    python3 -m venv /tmp/pages && /tmp/pages/bin/pip install pillow numpy
    /tmp/pages/bin/python examples/compare_pages.py BEFORE AFTER

(poppler-utils gives pdftoppm and pdftotext.) A page is identical, or
differs only in the footer's last line: the fingerprint, which covers the
template folder's digest when the records are not committed, so it changes
with any change to the templates; the text is compared with the
fingerprint taken out. Prints the counts and each page that differs
elsewhere; exits 1 if any does.
"""

import concurrent.futures
import pathlib
import re
import subprocess
import sys
import tempfile

import numpy as np
from PIL import Image

# The footer's last line (the fingerprint) lies in the page's last 30 rows
# at 50 dpi (22 of them are margin).
FOOTER_ROWS = 30
FINGERPRINT = re.compile(r"(fingerprint|huella) [0-9a-f]+")


def draw(pdf, into):
    """The pages of `pdf` as PNG files under `into`, and its text."""
    into.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "50", "-png", pdf, into / "page"], check=True)
    text = subprocess.run(
        ["pdftotext", "-layout", pdf, "-"], check=True, capture_output=True, text=True
    ).stdout
    return sorted(into.glob("page*.png")), FINGERPRINT.sub("fingerprint", text)


def compare(name, before, after, work):
    """What differs between the two copies of one document."""
    pages_a, text_a = draw(before / name, work / "a" / name)
    pages_b, text_b = draw(after / name, work / "b" / name)
    if len(pages_a) != len(pages_b):
        return [f"{name}: {len(pages_a)} pages before, {len(pages_b)} after"], 0, 0
    problems, same, footer = [], 0, 0
    for pa, pb in zip(pages_a, pages_b):
        ia = np.asarray(Image.open(pa).convert("L"), dtype=np.int16)
        ib = np.asarray(Image.open(pb).convert("L"), dtype=np.int16)
        if ia.shape != ib.shape:
            problems.append(f"{name} {pa.stem}: page size differs")
            continue
        rows = np.nonzero(np.abs(ia - ib))[0]
        if len(rows) == 0:
            same += 1
        elif rows.min() >= ia.shape[0] - FOOTER_ROWS:
            footer += 1
        else:
            problems.append(f"{name} {pa.stem}: rows {rows.min()}-{rows.max()} of {ia.shape[0]} differ")
    if text_a != text_b:
        problems.append(f"{name}: text differs")
    return problems, same, footer


def main():
    before, after = (pathlib.Path(a) for a in sys.argv[1:3])
    names = sorted(str(p.relative_to(before)) for p in before.rglob("*.pdf"))
    missing = [n for n in names if not (after / n).is_file()]
    problems = [f"{n}: not in {after}" for n in missing]
    same = footer = 0
    with tempfile.TemporaryDirectory() as work, concurrent.futures.ThreadPoolExecutor() as pool:
        work = pathlib.Path(work)
        jobs = [pool.submit(compare, n, before, after, work) for n in names if n not in missing]
        for job in jobs:
            p, s, f = job.result()
            problems += p
            same += s
            footer += f
    print(
        f"{len(names)} documents, {same + footer} pages compared: {same} identical, "
        f"{footer} differing only in the footer's fingerprint line, "
        f"{len(problems)} other differences"
    )
    for p in problems:
        print("  " + p)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
