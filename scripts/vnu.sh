#!/usr/bin/env bash
# Installs the Nu Html Checker (the npm package vnu-jar) for the browser tests' HTML validity
# check, and prints the path of its jar. Installs only when it is missing or of another version,
# inside the gitignored .venv; nothing is downloaded while the tests run.
#
#   scripts/vnu.sh            # -> /path/to/.venv/vnu/node_modules/vnu-jar/build/dist/vnu.jar
#
# To upgrade: change the version below and re-run. No package-lock.json is written (--no-save).
set -euo pipefail

VNU_VERSION="26.9.27"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
prefix="$root/.venv/vnu"
package="$prefix/node_modules/vnu-jar"

installed_version() {
    [[ -f "$package/package.json" ]] || return 0
    node -p "require('$package/package.json').version" 2>/dev/null || true
}

if [[ "$(installed_version)" != "$VNU_VERSION" ]]; then
    echo "npm install vnu-jar@$VNU_VERSION" >&2
    mkdir -p "$prefix"
    npm install --no-save --no-audit --no-fund --loglevel=error \
        --prefix "$prefix" "vnu-jar@$VNU_VERSION" >&2
    rm -f "$prefix/package-lock.json" "$prefix/package.json"
    got="$(installed_version)"
    if [[ "$got" != "$VNU_VERSION" ]]; then
        echo "error: vnu-jar installed as ${got:-nothing}, expected $VNU_VERSION" >&2
        exit 1
    fi
fi

jar="$package/build/dist/vnu.jar"
if [[ ! -f "$jar" ]]; then
    echo "error: $jar not found in vnu-jar $VNU_VERSION" >&2
    exit 1
fi
echo "$jar"
