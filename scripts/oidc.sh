#!/usr/bin/env bash
# Installs the OpenID provider the tests sign in through (the npm package oidc-provider, run
# with the machine's Node.js) into the gitignored .venv/oidc, from tests/oidc/package.json and
# its package-lock.json (exact versions). Prints the directory. Installs only when the lock
# changed; nothing is downloaded while the tests run.
#
#   scripts/oidc.sh            # -> /path/to/.venv/oidc
#
# To upgrade: change the versions in tests/oidc/package.json, run
# `npm install --package-lock-only` there, and re-run this script.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source_dir="$root/tests/oidc"
prefix="$root/.venv/oidc"
stamp="$prefix/.installed-$(sha1sum "$source_dir/package-lock.json" | cut -c1-12)"

if [[ ! -f "$stamp" ]]; then
    echo "npm ci oidc-provider (tests/oidc/package-lock.json)" >&2
    rm -rf "$prefix"
    mkdir -p "$prefix"
    cp "$source_dir/package.json" "$source_dir/package-lock.json" "$prefix/"
    npm ci --no-audit --no-fund --loglevel=error --prefix "$prefix" >&2
    touch "$stamp"
fi
if [[ ! -f "$prefix/node_modules/oidc-provider/package.json" ]]; then
    echo "error: oidc-provider not found in $prefix" >&2
    exit 1
fi
echo "$prefix"
