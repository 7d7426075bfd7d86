#!/usr/bin/env bash
# Re-vendor the precompiled GOV.UK Frontend into static/govuk-frontend/.
# Usage: scripts/vendor-govuk-frontend.sh 5.14.0
# The published CSS points at /assets/...; we rewrite those to paths relative to the CSS file so
# they resolve under STATIC_URL and whitenoise's manifest can fingerprint them.
set -euo pipefail
version=${1:?give the govuk-frontend version, e.g. 5.14.0}
top=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "govuk-frontend@$version" >/dev/null && tar xzf "govuk-frontend-$version.tgz")
dist="$work/package/dist/govuk"
dest="$top/static/govuk-frontend"
rm -rf "$dest" && mkdir -p "$dest"
cp -r "$dist/assets" "$dest/assets"
cp "$dist/govuk-frontend.min.js" "$dest/"
sed 's#url(/assets/#url(assets/#g' "$dist/govuk-frontend.min.css" > "$dest/govuk-frontend.min.css"
sed -i 's#/\*\# sourceMappingURL=.*\*/##' "$dest/govuk-frontend.min.css"
sed -i 's#//\# sourceMappingURL=.*##' "$dest/govuk-frontend.min.js"
echo "$version" > "$dest/VERSION"
echo "GOV.UK Frontend $version vendored into static/govuk-frontend/"
