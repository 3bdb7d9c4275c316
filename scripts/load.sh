#!/usr/bin/env bash
# A load test with a real generator (autocannon, pinned in tools/load): seeds 50 courses, 2,000 learners
# with enrolments and sessions, and 100,000 chunks into the database cp_load, serves the app on it with the
# local Functions host (port 7075), and drives
#   (a) mixed reads (catalog, course detail, outline, lesson content, search) at 64 connections for 60 s, twice
#       (the second run shows whether the worker's memory keeps growing), and
#   (b) 200 learners writing topic progress, cart lines and quiz attempts for 30 s, back to back (the capacity),
#       then paced to 200 requests/s in all (the latency a learner sees at that load).
# A 15 s warm-up at 8 connections comes first (reported, not judged). Prints per run requests/s, p50/p95/p99
# overall and per endpoint, errors, the worker's memory, the CPU taken by the worker, the host, the generator and
# the rest (PostgreSQL), PostgreSQL's connections in use, and from dotnet-counters the worker's thread-pool queue
# and the query-embedding cache's hit rate. Exits non-zero on any error of the judged runs. Not part of the tests.
# The app and the host are built in Release, as deployed (CONFIGURATION=Debug to measure a debug build).
#   scripts/load.sh [read-seconds] [write-seconds]
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$REPO_ROOT"
READ_SECONDS="${1:-60}"
WRITE_SECONDS="${2:-30}"
CONFIGURATION="${CONFIGURATION:-Release}"
PORT=7075
DIR="$LOCAL_DIR/load"
mkdir -p "$DIR"

scripts/services.sh start
for project in src/Functions tools/FunctionsHost; do dotnet build -c "$CONFIGURATION" "$project" -nologo -clp:ErrorsOnly -v:q; done
dotnet build -c Release tools/Benchmarks -nologo -clp:ErrorsOnly -v:q
(cd tools/load && npm ci --no-audit --no-fund --silent)
dotnet tool restore >/dev/null

key=$(jq -r '.Values.Auth__SigningKey' local.settings.sample.json)
dotnet run -c Release --no-build --project tools/Benchmarks -- load-seed cp_load "$DIR/seed.json" "$key"

# LOAD_DB_OPTIONS: more connection-string options for the app, to compare settings (e.g. "Max Auto Prepare=0").
jq --arg db "Host=127.0.0.1;Port=$PG_PORT;Database=cp_load;Username=postgres;Password=postgres;Maximum Pool Size=50;${LOAD_DB_OPTIONS:-}" \
  '.Values.Database__ConnectionString = $db | .Values.AZURE_FUNCTIONS_ENVIRONMENT = "Development" | .Values.Logging__LogLevel__Default = "Warning"' \
  local.settings.sample.json >"$DIR/settings.json"
dotnet run -c "$CONFIGURATION" --project tools/FunctionsHost --no-build -- \
  --app "src/Functions/bin/$CONFIGURATION/net10.0" --settings "$DIR/settings.json" --port "$PORT" --fail-on-function-errors >"$DIR/host.log" 2>&1 &
host=$!
trap 'kill $host 2>/dev/null; wait $host 2>/dev/null' EXIT
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$PORT/api/health" >/dev/null && break
  # A host that stopped (functions in error, a start-up error) is reported now rather than after the wait.
  kill -0 "$host" 2>/dev/null || { cat "$DIR/host.log" >&2; echo "The Functions host stopped; see above." >&2; exit 1; }
  sleep 1
done
worker=$(pgrep -f "CoursePlatform.Functions.dll.*--port" | head -1 || true)
[ -n "$worker" ] || worker=$(pgrep -f "CoursePlatform.Functions.dll" | tail -1)
log "app ($CONFIGURATION build) on :$PORT, worker pid $worker; $(nproc) cores; $(date -u +%FT%TZ)"

# A short warm-up at low concurrency (JIT, the embedding model's first load, the pools): reported, not judged.
log "warm-up (not judged):"
node tools/load/run.mjs "http://127.0.0.1:$PORT" "$DIR/seed.json" "$worker" reads 8 15 || true
export LOAD_PG_CONNECTIONS="PGPASSWORD=postgres '$PG_BIN/psql' -h 127.0.0.1 -p $PG_PORT -U postgres -d postgres -Atc \"SELECT count(*) FROM pg_stat_activity WHERE datname = 'cp_load' AND state <> 'idle'\""
# One judged run: the generator, and dotnet-counters on the worker meanwhile (its own CPU is counted in "the rest").
judge() {
  local name=$1 seconds=$4
  dotnet dotnet-counters collect --process-id "$worker" --refresh-interval 1 --format csv --output "$DIR/counters-$name.csv" \
    --counters "System.Runtime,CoursePlatform.AI" --duration "$(printf '00:%02d:%02d' $((seconds / 60)) $((seconds % 60)))" >/dev/null 2>&1 &
  local counters=$!
  shift
  node tools/load/run.mjs "http://127.0.0.1:$PORT" "$DIR/seed.json" "$worker" "$@" || status=1
  wait "$counters" 2>/dev/null
  node tools/load/counters.mjs "$DIR/counters-$name.csv" || true
}
status=0
judge reads-1 reads 64 "$READ_SECONDS"
judge reads-2 reads 64 "$READ_SECONDS"
judge writes writes 200 "$WRITE_SECONDS"
# The same 200 learners as people write: about one request a second each, not back to back.
judge writes-paced writes 200 "$WRITE_SECONDS" 200
exit $status
