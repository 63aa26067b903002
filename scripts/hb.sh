#!/usr/bin/env bash
# One entry for the README's commands: installs pnpm at the pinned version if missing, then the workspace.
set -euo pipefail
cd "$(dirname "$0")/.."
PNPM_VERSION=10.34.9                      # keep equal to "packageManager" in package.json
has_pnpm() { [ "$(pnpm --version 2>/dev/null || true)" = "$PNPM_VERSION" ]; }
if ! has_pnpm && ! { npm install -g "pnpm@$PNPM_VERSION" >/dev/null 2>&1 && has_pnpm; }; then
  npm install --prefix .tools --no-save --no-package-lock "pnpm@$PNPM_VERSION" >/dev/null
  export PATH="$PWD/.tools/node_modules/.bin:$PATH"   # no root: private copy
fi
pnpm install --frozen-lockfile
case "${1:-setup}" in
  setup) ;;
  # One command per line: under `set -e` a failure inside `a && b` would not stop the script.
  demo)  shift
         pnpm run build
         exec node scripts/demo.mjs "$@" ;;
  test)  pnpm run build
         pnpm run typecheck
         exec node scripts/test-summary.mjs ;;
  *)     echo "usage: scripts/hb.sh setup|demo|test" >&2; exit 2 ;;
esac
