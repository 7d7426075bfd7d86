#!/usr/bin/env bash
# Re-vendor Chart.js's UMD build into static/chartjs/. Usage: scripts/vendor-chartjs.sh 4.6.1
set -euo pipefail
version=${1:?give the chart.js version, e.g. 4.6.1}
top=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "chart.js@$version" >/dev/null && tar xzf "chart.js-$version.tgz")
dest="$top/static/chartjs"
mkdir -p "$dest"
sed 's#//\# sourceMappingURL=.*##' "$work/package/dist/chart.umd.min.js" > "$dest/chart.umd.min.js"
cp "$work/package/LICENSE.md" "$dest/LICENSE.md"
echo "$version" > "$dest/VERSION"
echo "Chart.js $version vendored into static/chartjs/"
