#!/usr/bin/env bash
# Telephony end-to-end tests: installs the rig's Debian packages when missing, then runs the
# Playwright suite inside a new network namespace that has only `lo` (Chromium, the console,
# its embedded PostgreSQL, Kamailio, rtpengine and sipp all on loopback). Needs root.
#   tests/telephony/run-e2e.sh [playwright args...]
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ -z "${RIG_IN_NETNS:-}" ]; then
	bash tests/telephony/install-deps.sh
	# Build outside the namespace's time budget of the web server (a no-op when fresh).
	node --import tsx tests/telephony/e2e/ensure-build.ts
	exec unshare --net -- env RIG_IN_NETNS=1 bash -c 'ip link set lo up && exec "$0" "$@"' "$0" "$@"
fi

mkdir -p test-results/screenshots
exec node_modules/.bin/playwright test -c tests/telephony/playwright.config.ts "$@"
