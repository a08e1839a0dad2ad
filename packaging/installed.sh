#!/bin/sh
# Checks the installed Debian package as a coordinator's laptop has it: with
# only /usr/bin and /bin on PATH (no cargo, no build folder), `casepaper`
# starts a records repository and renders its example case; the manual page
# and the completions are where Debian looks for them.
set -eu
for file in /usr/bin/casepaper /usr/share/man/man1/casepaper.1.gz \
    /usr/share/bash-completion/completions/casepaper \
    /usr/share/zsh/vendor-completions/_casepaper \
    /usr/share/fish/vendor_completions.d/casepaper.fish \
    /usr/share/doc/casepaper/THIRD-PARTY-NOTICES.md; do
    dpkg -S "$file" >/dev/null
done
zcat /usr/share/man/man1/casepaper.1.gz | grep -q '^\.TH casepaper 1'
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
env -i PATH=/usr/bin:/bin HOME="$work" LANG=C.UTF-8 sh -eu -c '
    cd "$HOME"
    test "$(command -v casepaper)" = /usr/bin/casepaper
    ! command -v cargo
    casepaper --version
    casepaper init program --state vt
    cd program
    git init --quiet --initial-branch=main
    casepaper validate records
    casepaper render records
    ls out/vt-example-0001
    test "$(ls out/vt-example-0001/*.pdf | wc -l)" -eq 5
    test -s out/vt-example-0001/plan-2025-02-03.pdf
'
echo "the installed package starts a repository and renders its example"
