#!/bin/sh
# Re-makes the page images the guide shows: page one of each document,
# rendered from the sample records (page two of the plan, where what the
# page shows is). Needs pdftoppm (Debian: poppler-utils).
set -eu
cd "$(dirname "$0")/.."
cargo run --release --quiet -- render records --out out
page() { pdftoppm -r 80 -png -f 1 -l 1 -singlefile "out/$1.pdf" "docs/src/images/$2"; }
page ct-2025-0117/consent-2025-10-09-evaluation consent
page ct-2025-0117/plan-2026-11-10 plan
pdftoppm -r 80 -png -f 2 -l 2 -singlefile out/ct-2025-0117/plan-2026-11-10.pdf docs/src/images/plan-2
page ct-2025-0117/consent-2026-05-12-change consent-change
page ct-2025-0117/services-grid services-grid
page ct-2025-0117/outcomes outcomes
page ct-2025-0117/contacts contacts
page ct-2025-0117/transition transition
page ct-2026-0031/exit-letter exit-letter
page ct-2026-0058/transition transition-es-draft
page ct-2026-0058/outcomes outcomes-es
page ct-2025-0117/notice-2026-05-12-change notice-change
page ct-2026-0102/notice-2026-11-02-not-eligible notice-not-eligible
page vt-2026-0077/meeting-notice-2026-09-15-es meeting-notice
page vt-2026-0042/exit-letter exit-letter-vt
pdftoppm -r 80 -png -f 2 -l 2 -singlefile out/ct-2025-0117/notice-2026-05-12-change.pdf docs/src/images/rights
page ct-2026-0058/public-benefits-notice-2026-04-10 public-benefits-notice
page ct-2025-0117/record-of-access record-of-access
