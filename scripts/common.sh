#!/usr/bin/env bash
# Shared settings for the local-service scripts. Sourced, never run.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL_DIR="${COURSEPLATFORM_LOCAL_DIR:-$REPO_ROOT/.local}"   # git-ignored: data, logs, installed tools
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
PG_PORT="${PG_PORT:-54329}"                   # fixed, unusual port so a system PostgreSQL never clashes
PG_HOME="$LOCAL_DIR/postgres"
# The server runs as the postgres user, which must be able to reach its data folder. A checkout
# under a private folder (mktemp -d, a home directory) is not reachable, so fall back to /tmp.
if [ "$(id -u)" = "0" ] && ! runuser -u postgres -- test -x "$REPO_ROOT" 2>/dev/null; then
  PG_HOME="/tmp/courseplatform-postgres-$(printf '%s' "$REPO_ROOT" | cksum | cut -d' ' -f1)"
fi
PG_DATA="$PG_HOME/data"
PG_SOCKET_DIR="$PG_HOME/socket"
PG_LOG="$PG_HOME/postgres.log"
PGBOUNCER_PORT="${PGBOUNCER_PORT:-64329}"     # transaction pooling in front of PostgreSQL, as Azure's built-in PgBouncer
PGBOUNCER_DIR="$PG_HOME/pgbouncer"
AZURITE_VERSION="3.37.0"                      # pinned; see docs/configuration.md
AZURITE_DIR="$LOCAL_DIR/azurite"
AZURITE_DATA="$LOCAL_DIR/azurite-data"
AZURITE_LOG="$LOCAL_DIR/logs/azurite.log"
AZURITE_BLOB_PORT="${AZURITE_BLOB_PORT:-10000}"
AZURITE_QUEUE_PORT="${AZURITE_QUEUE_PORT:-10001}"
AZURITE_TABLE_PORT="${AZURITE_TABLE_PORT:-10002}"

mkdir -p "$LOCAL_DIR/logs"

log() { printf '[%s] %s\n' "$(basename "$0")" "$*" >&2; }

# Runs a command as the postgres OS user when we are root (PostgreSQL refuses to run as root),
# from / since that user may not be allowed into the current directory.
as_postgres() {
  if [ "$(id -u)" = "0" ]; then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then
    log "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    apt_updated=1
  fi
  log "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

wait_for_port() { # host port seconds
  local host=$1 port=$2 seconds=$3 i
  for ((i = 0; i < seconds * 10; i++)); do
    if (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  return 1
}
