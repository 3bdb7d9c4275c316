#!/usr/bin/env bash
# Runs the walk-throughs of the docs, in order, against a fresh ./run.sh on a fresh database, and fails
# on any command that fails or any promised output ("# => ...") that does not appear (scripts/check_docs.py).
# It drops the local courseplatform database first, so it asks for --reset; ./test.sh runs it when
# CHECK_DOCS=1 (CI sets it).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh
[ "${1:-}" = --reset ] || { echo "usage: scripts/check-docs.sh --reset   (drops the local courseplatform database first)" >&2; exit 2; }

port=7071   # the docs say http://localhost:7071
if curl -s -o /dev/null --max-time 2 "http://localhost:$port/api/health"; then
  echo "check-docs: something already serves port $port; stop ./run.sh first." >&2; exit 1
fi
scripts/services.sh start
as_postgres "$PG_BIN/psql" -h "$PG_SOCKET_DIR" -p "$PG_PORT" -U postgres -d postgres -qc \
  "DROP DATABASE IF EXISTS courseplatform WITH (FORCE)"

runlog="$LOCAL_DIR/logs/check-docs-run.log"
setsid ./run.sh >"$runlog" 2>&1 &
app=$!
trap 'kill -- -"$app" 2>/dev/null; wait "$app" 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do
  # The host answers before the worker is ready; wait for the app's own healthy answer.
  curl -sf --max-time 5 "http://localhost:$port/api/health" 2>/dev/null | grep -q '"healthy"' && break
  kill -0 "$app" 2>/dev/null || { echo "check-docs: ./run.sh stopped (log: $runlog)" >&2; tail -n 30 "$runlog" >&2; exit 1; }
  sleep 1
done
log "app up; running the walk-throughs (./run.sh log: $runlog)"
python3 scripts/check_docs.py
