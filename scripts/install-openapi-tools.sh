#!/usr/bin/env bash
# Installs what the API-contract tests run (tests/CoursePlatform.Functions.Tests/ApiContract), when missing:
#   - the pinned npm tools of tools/openapi (Redocly CLI, openapi-typescript, TypeScript, ajv, playwright-core): npm ci
#     whenever package-lock.json is newer than the installed tree;
#   - Debian's chromium (headless, for the docs page test); playwright-core drives it and downloads no browser.
# Idempotent: a second run with everything in place takes well under a second.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

tools="$REPO_ROOT/tools/openapi"
command -v npm >/dev/null || apt_install nodejs npm
if [ ! -f "$tools/node_modules/.package-lock.json" ] || [ "$tools/package-lock.json" -nt "$tools/node_modules/.package-lock.json" ]; then
  log "npm ci in tools/openapi"
  # No install scripts: none of these packages needs one, and none may download anything else.
  (cd "$tools" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
fi

if [ ! -x /usr/bin/chromium ]; then
  apt_install chromium
fi
