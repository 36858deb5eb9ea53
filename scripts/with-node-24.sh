#!/usr/bin/env bash
# Runs a command with Node.js 24 (the current LTS) first on PATH. The binary comes from the npm
# registry's `node@24` package, installed once outside the project (no other download).
set -euo pipefail
dir="${NODE24_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/fieldline-console/node24}"
bin="$dir/node_modules/.bin"
if ! "$bin/node" --version 2>/dev/null | grep -q '^v24\.'; then
	mkdir -p "$dir"
	npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error node@24 >&2
fi
echo "Node $("$bin/node" --version) for: $*" >&2
PATH="$bin:$PATH" exec "$@"
