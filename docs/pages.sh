#!/bin/sh
# Re-makes the page images the README shows: page one of each document,
# rendered from the sample records. Needs pdftoppm (Debian: poppler-utils).
set -eu
cd "$(dirname "$0")/.."
cargo run --release --quiet -- render records --out out
page() { pdftoppm -r 80 -png -f 1 -l 1 -singlefile "out/$1.pdf" "docs/$2"; }
page ct-2025-0117/consent-2025-11-14-initiation consent
page ct-2025-0117/services-grid services-grid
page ct-2025-0117/outcomes outcomes
page ct-2025-0117/contacts contacts
page ct-2025-0117/transition transition
page ct-2026-0031/exit-letter exit-letter
page ct-2026-0058/transition transition-es-draft
page ct-2026-0058/outcomes outcomes-es
