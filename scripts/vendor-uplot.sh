#!/usr/bin/env bash
# Refreshes the dashboard's charting library, uPlot, pinned under
# web/vendor/uplot/ (embedded in the binary like every page file, so the
# pages need no CDN): fetches the given version from the npm registry,
# checks the tarball's integrity against the registry's, and copies its ES
# module, stylesheet and licence. Usage: scripts/vendor-uplot.sh [VERSION]
set -euo pipefail
cd "$(dirname "$0")/.."
version=${1:-1.6.32}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack "uplot@$version" --silent >/dev/null)
want=$(npm view "uplot@$version" dist.integrity)
got="sha512-$(openssl dgst -sha512 -binary "$tmp/uplot-$version.tgz" | base64 -w0)"
[ "$want" = "$got" ] || { echo "integrity mismatch: $got, registry says $want" >&2; exit 1; }
tar xzf "$tmp/uplot-$version.tgz" -C "$tmp"
out=web/vendor/uplot
mkdir -p "$out"
cp "$tmp/package/dist/uPlot.esm.js" "$tmp/package/dist/uPlot.min.css" "$out/"
cp "$tmp/package/LICENSE" "$out/LICENSE"
echo "uplot $version $want" > "$out/VERSION"
echo "uPlot $version pinned in $out"
