#!/bin/sh
# Makes THIRD-PARTY-NOTICES.md again: the crates' licences (cargo-about,
# `cargo install cargo-about --locked`), then the fonts and files the binary
# carries. Run it from anywhere after a dependency or a bundled file changes;
# `cargo test` says when it is needed.
set -eu
cd "$(dirname "$0")/../.."
assets=$(cargo metadata --format-version 1 --locked \
    | grep -o '"manifest_path":"[^"]*/typst-assets-[^"]*/Cargo.toml"' \
    | head -n 1 | cut -d '"' -f 4)
{
    cargo about generate --locked about.hbs
    printf '## Fonts and files the binary carries\n\n'
    printf '### Noto Sans (templates/fonts/), the documents'"'"' typeface\n\n'
    printf '```text\n'; cat templates/fonts/OFL.txt; printf '```\n\n'
    printf '### htmx 2.0.8 (templates/web/static/), the desk'"'"'s page updates\n\n'
    printf '```text\n'; cat templates/web/static/htmx-LICENSE.txt; printf '```\n\n'
    printf '### typst-assets (fonts Typst embeds: Libertinus Serif, New Computer Modern, DejaVu Sans Mono; colour profiles; its NOTICE)\n\n'
    printf '```text\n'; cat "$(dirname "$assets")/NOTICE"; printf '```\n'
} > THIRD-PARTY-NOTICES.md
