#!/bin/sh
# Builds the Debian package, target/debian/casepaper_VERSION_ARCH.deb: the
# binary of the `dist` profile (whole-program optimized, about 12 minutes
# cold on 2 cores), its manual page and its shell completions, made here by
# the binary itself. Needs cargo-deb (`cargo install cargo-deb --locked`)
# and dpkg-dev (for the package's library dependencies).
set -eu
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-target}
cargo build --locked --profile dist
bin=$target/dist/casepaper
extra=$target/deb-extra
mkdir -p "$extra"
rm -rf "$extra/man"
"$bin" man --out "$extra/man"
gzip -9n "$extra"/man/*.1
"$bin" completions bash > "$extra/casepaper.bash"
"$bin" completions zsh > "$extra/_casepaper"
"$bin" completions fish > "$extra/casepaper.fish"
cargo deb --locked --profile dist --no-build
