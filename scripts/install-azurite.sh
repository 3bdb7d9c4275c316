#!/usr/bin/env bash
# Installs the pinned Azurite from npm into .local/azurite when missing.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

bin="$AZURITE_DIR/node_modules/.bin/azurite"
if [ -x "$bin" ] && grep -q "\"version\": \"$AZURITE_VERSION\"" "$AZURITE_DIR/node_modules/azurite/package.json" 2>/dev/null; then
  exit 0
fi
command -v npm >/dev/null || apt_install nodejs npm
log "installing azurite@$AZURITE_VERSION"
mkdir -p "$AZURITE_DIR"
npm install --prefix "$AZURITE_DIR" --no-audit --no-fund --loglevel=error "azurite@$AZURITE_VERSION" >/dev/null
