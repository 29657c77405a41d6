#!/bin/sh
# Runs Bun with the version pinned in package.json, installing it from npm into .tools/
# when this machine has no Bun of that version, and installing dependencies when missing.
set -e
cd "$(dirname "$0")/.."
want=$(sed -n 's/.*"packageManager": *"bun@\([^"]*\)".*/\1/p' package.json)
bun_bin=""
if command -v bun >/dev/null 2>&1 && [ "$(bun --version)" = "$want" ]; then
  bun_bin=$(command -v bun)
elif [ -x .tools/node_modules/.bin/bun ] && [ "$(.tools/node_modules/.bin/bun --version)" = "$want" ]; then
  bun_bin=.tools/node_modules/.bin/bun
else
  echo "Installing Bun $want from npm into .tools/ ..." >&2
  npm install --silent --no-audit --no-fund --prefix .tools "bun@$want" >&2
  bun_bin=.tools/node_modules/.bin/bun
fi
if [ ! -d node_modules ] || [ package.json -nt node_modules ] || [ bun.lock -nt node_modules ]; then
  "$bun_bin" install --frozen-lockfile >&2
  touch node_modules
fi
# The SDK (sdk/) is its own package: its generators need TypeScript 5's compiler API.
if [ -f sdk/package.json ] && { [ ! -d sdk/node_modules ] || [ sdk/package.json -nt sdk/node_modules ] || [ sdk/bun.lock -nt sdk/node_modules ]; }; then
  "$bun_bin" install --cwd sdk --frozen-lockfile >&2
  touch sdk/node_modules
fi
export PATH="$(cd "$(dirname "$bun_bin")" && pwd):$PATH"
exec "$bun_bin" "$@"
