#!/usr/bin/env bash
# Runs every test against real local services; ends with a line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"
source scripts/common.sh
set +e

results="$LOCAL_DIR/test-results"
rm -rf "$results"
mkdir -p "$results"

scripts/services.sh start || { echo "0 passed, 1 failed"; exit 1; }
scripts/install-openapi-tools.sh || { echo "0 passed, 1 failed"; exit 1; }
export COURSEPLATFORM_TEST_PG="${COURSEPLATFORM_TEST_PG:-Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Password=postgres}"

# Databases left by an interrupted earlier run, and templates of earlier builds.
as_postgres "$PG_BIN/psql" -h "$PG_SOCKET_DIR" -p "$PG_PORT" -U postgres -d postgres -Atqc \
  "SELECT format('ALTER DATABASE %I WITH IS_TEMPLATE false; DROP DATABASE %I WITH (FORCE);', datname, datname)
   FROM pg_database WHERE datname LIKE 'cp\_test\_%' OR datname LIKE 'cp\_template\_%' OR datname LIKE 'cp\_bench\_%'" \
  | as_postgres "$PG_BIN/psql" -h "$PG_SOCKET_DIR" -p "$PG_PORT" -U postgres -d postgres -q >/dev/null

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet tool restore >/dev/null
if ! dotnet build CoursePlatform.sln -c Debug -nologo -clp:ErrorsOnly; then
  echo "Build failed."
  echo "0 passed, 1 failed"
  exit 1
fi

dotnet test CoursePlatform.sln -c Debug --no-build --nologo \
  --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results" "$@"
status=$?

# dotnet test prints no count CI reads: add up the TRX counters of every test project.
passed=0 failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  e=$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${e:-0}))
done
# The docs' walk-throughs against a fresh ./run.sh (it drops the local database, hence opt-in; CI sets CHECK_DOCS=1).
if [ "${CHECK_DOCS:-0}" = 1 ] && [ $# -eq 0 ]; then
  if scripts/check-docs.sh --reset; then passed=$((passed + 1)); else failed=$((failed + 1)); status=1; fi
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "dotnet test exited with $status without a failed test (a test host crashed or a project did not run)."
  failed=1
fi
echo "$passed passed, $failed failed"
exit "$status"
