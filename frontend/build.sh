#!/usr/bin/env bash
# Builds Engage's front-end assets from GOV.UK Frontend and copies them into
# engage/static/engage/, where they are committed and served by WhiteNoise.
#
#   bash frontend/build.sh
#
# Idempotent: it installs the locked packages (npm ci), recompiles the
# stylesheet and replaces the copied files, so running it twice changes
# nothing. Needs Node.js and npm; nothing else is downloaded.
#
# What is copied, and what is not:
#   css/app.css                     GOV.UK Frontend + our styles, neutral fonts
#   js/govuk-frontend.min.js        GOV.UK Frontend's ES module
#   js/init.js                      starts it (external file: strict CSP)
#   js/frontend-supported.js        sets the body classes the template needs
#   images/favicon.svg              our own icon
# GOV.UK Frontend's fonts (GDS Transport) and images (crown, crest) are
# deliberately left out: Engage is not a GOV.UK service.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "${here}/.." && pwd)"
out="${root}/engage/static/engage"

cd "${here}"
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

rm -rf "${out}/css" "${out}/js" "${out}/images"
mkdir -p "${out}/css" "${out}/js" "${out}/images"

npx --no-install sass \
  --no-source-map \
  --style=compressed \
  --quiet-deps \
  --load-path=node_modules \
  scss/app.scss "${out}/css/app.css"

# The minified module ends with a sourceMappingURL comment; we do not ship the
# map, and collectstatic's manifest storage fails on a reference to a missing
# file, so the comment is dropped.
sed 's|//# sourceMappingURL=.*$||' \
  node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js \
  > "${out}/js/govuk-frontend.min.js"

cp js/init.js js/frontend-supported.js "${out}/js/"
cp images/favicon.svg "${out}/images/"

# GOV.UK Frontend is MIT-licensed; its notice travels with its compiled code.
version="$(node -p "require('govuk-frontend/package.json').version")"
cat > "${out}/THIRD-PARTY-NOTICES.txt" <<NOTICE
css/app.css and js/govuk-frontend.min.js contain GOV.UK Frontend ${version}
(npm package govuk-frontend), released under the MIT licence by the
Government Digital Service. Built by frontend/build.sh; do not edit by hand.
NOTICE

echo "Built front-end assets into engage/static/engage/"
