#!/usr/bin/env bash
# Refreshes the vendored front-end files. The app never loads anything from a CDN:
# everything the browser needs is copied into static/vendor/ and committed.
#
#   bash scripts/vendor.sh
#
# To upgrade: change a version below, run the script, review the diff
# (htmx minor versions have changed behaviour before), commit.
set -euo pipefail

HTMX_VERSION="4.0.1"     # newest 4.x on npm when pinned (`npm view htmx.org versions`)
DKFDS_VERSION="11.2.0"   # Det Fælles Designsystem
AXE_VERSION="4.14.1"     # only for the browser accessibility tests

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
vendor="$root/static/vendor"
axe_dir="$root/tests/e2e/vendor/axe-core"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

echo "npm install htmx.org@$HTMX_VERSION dkfds@$DKFDS_VERSION axe-core@$AXE_VERSION"
npm install --no-save --no-audit --no-fund --ignore-scripts --loglevel=error \
    --prefix "$tmp" \
    "htmx.org@$HTMX_VERSION" "dkfds@$DKFDS_VERSION" "axe-core@$AXE_VERSION" >/dev/null

nm="$tmp/node_modules"

# Refuse to vendor something other than what is pinned.
check_version() {
    local pkg="$1" want="$2" got
    got="$(node -p "require('$nm/$pkg/package.json').version")"
    if [[ "$got" != "$want" ]]; then
        echo "error: $pkg installed as $got, expected $want" >&2
        exit 1
    fi
}
check_version htmx.org "$HTMX_VERSION"
check_version dkfds "$DKFDS_VERSION"
check_version axe-core "$AXE_VERSION"

# Minified files end with a sourceMappingURL comment; the maps are not vendored,
# so drop the comment to avoid 404s in the browser's devtools.
copy_stripped() {
    mkdir -p "$(dirname "$2")"
    sed -e '/^\/[*\/]# sourceMappingURL=/d' -e 's#/\*\# sourceMappingURL=[^*]*\*/##' "$1" > "$2"
}

# ---------------------------------------------------------------- htmx
rm -rf "$vendor/htmx"
mkdir -p "$vendor/htmx"
copy_stripped "$nm/htmx.org/dist/htmx.min.js" "$vendor/htmx/htmx.min.js"
cp "$nm/htmx.org/LICENSE" "$vendor/htmx/LICENSE"

# ---------------------------------------------------------------- DKFDS
# Only the default theme (not borger.dk / virk.dk), plus exactly the fonts and
# images its CSS refers to, at the same relative paths so every url() resolves.
dk_src="$nm/dkfds/dist"
dk_dst="$vendor/dkfds"
rm -rf "$dk_dst"
mkdir -p "$dk_dst/css" "$dk_dst/js" "$dk_dst/img"
copy_stripped "$dk_src/css/dkfds.min.css" "$dk_dst/css/dkfds.min.css"
copy_stripped "$dk_src/js/dkfds.min.js" "$dk_dst/js/dkfds.min.js"
# Icon sprite for <svg><use href=".../all-svg-icons.svg#name"> in templates.
cp "$dk_src/img/all-svg-icons.svg" "$dk_dst/img/all-svg-icons.svg"
cp "$nm/dkfds/LICENSE.md" "$dk_dst/LICENSE.md"

refs=0
while IFS= read -r ref; do
    # ref is relative to css/, e.g. ../fonts/IBMPlexSans/complete/woff2/x.woff2
    rel="${ref#../}"
    src="$dk_src/$rel"
    if [[ ! -f "$src" ]]; then
        echo "error: dkfds.min.css refers to $ref, not found in the package" >&2
        exit 1
    fi
    mkdir -p "$dk_dst/$(dirname "$rel")"
    cp "$src" "$dk_dst/$rel"
    refs=$((refs + 1))
done < <(grep -o 'url([^)]*)' "$dk_dst/css/dkfds.min.css" \
            | sed -e 's/^url(//' -e 's/)$//' -e "s/^[\"']//" -e "s/[\"']$//" -e 's/[?#].*$//' \
            | grep -v '^data:' | sort -u)
# The IBM Plex font licence (SIL OFL 1.1) travels with the fonts.
cp "$dk_src/fonts/IBMPlexSans/complete/woff2/license.txt" "$dk_dst/fonts/IBMPlexSans/LICENSE-OFL.txt"

# ---------------------------------------------------------------- axe-core
rm -rf "$axe_dir"
mkdir -p "$axe_dir"
cp "$nm/axe-core/axe.min.js" "$axe_dir/axe.min.js"
cp "$nm/axe-core/LICENSE" "$axe_dir/LICENSE"

# ---------------------------------------------------------------- VERSIONS.md
count_files() { find "$1" -type f | wc -l | tr -d ' '; }
today="$(date -u +%Y-%m-%d)"
cat > "$vendor/VERSIONS.md" <<MD
# Vendored front-end libraries

Written by \`scripts/vendor.sh\` — do not edit by hand; change the pins in the script and re-run it.

| Package | Version | Licence | Files | Date |
| --- | --- | --- | --- | --- |
| htmx.org | $HTMX_VERSION | 0BSD (\`htmx/LICENSE\`) | \`static/vendor/htmx/htmx.min.js\` ($(count_files "$vendor/htmx") files) | $today |
| dkfds | $DKFDS_VERSION | MIT; IBM Plex Sans fonts OFL-1.1; icons Apache-2.0 (\`dkfds/LICENSE.md\`) | \`static/vendor/dkfds/css/dkfds.min.css\`, \`js/dkfds.min.js\`, \`img/all-svg-icons.svg\`, $refs fonts/icons referenced by the CSS ($(count_files "$dk_dst") files) | $today |
| axe-core | $AXE_VERSION | MPL-2.0 (\`tests/e2e/vendor/axe-core/LICENSE\`) | \`tests/e2e/vendor/axe-core/axe.min.js\` (tests only, never served) | $today |
MD

echo "vendored: htmx $HTMX_VERSION, dkfds $DKFDS_VERSION ($refs CSS references), axe-core $AXE_VERSION"
du -sh "$vendor/htmx" "$vendor/dkfds" "$axe_dir"
