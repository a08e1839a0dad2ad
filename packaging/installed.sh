#!/bin/sh
# Checks the installed Debian package as a coordinator's laptop has it: with
# only /usr/bin and /bin on PATH (no cargo, no build folder), `casepaper`
# starts a records repository and renders its example case; the manual page
# and the completions are where Debian looks for them.
set -eu
for file in /usr/bin/casepaper /usr/share/man/man1/casepaper.1.gz \
    /usr/share/man/man1/casepaper-sync.1.gz /usr/share/man/man1/casepaper-render.1.gz \
    /usr/share/bash-completion/completions/casepaper \
    /usr/share/zsh/vendor-completions/_casepaper \
    /usr/share/fish/vendor_completions.d/casepaper.fish \
    /usr/share/doc/casepaper/THIRD-PARTY-NOTICES.md; do
    dpkg -S "$file" >/dev/null
done
zcat /usr/share/man/man1/casepaper.1.gz | grep -q '^\.TH casepaper 1'
zcat /usr/share/man/man1/casepaper-sync.1.gz | grep -q '^\.TH casepaper-sync 1'
# Every command the first page names has a page of its own.
test "$(zcat /usr/share/man/man1/casepaper.1.gz | grep -c '^casepaper\\-[a-z-]*(1)$')" -ge 15
for named in $(zcat /usr/share/man/man1/casepaper.1.gz | sed -n 's/^casepaper\\-\([a-z-]*\)(1)$/\1/p'); do
    test -f "/usr/share/man/man1/casepaper-$named.1.gz"
done
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
