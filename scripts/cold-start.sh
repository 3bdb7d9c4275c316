#!/usr/bin/env bash
# Measures the cold start of the deployment package: publishes src/Functions as `azd deploy` does
# (Release, linux-x64), serves that folder with the local host on a fresh worker, and prints the
# zipped package size and the seconds from host start to the first 200 of /api/health and of the
# first search (which loads the embedding model). Needs the database of ./run.sh (seeded; migrated here)
# and the settings in local.settings.json; PORT defaults to 7081 so ./run.sh may keep serving.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
PORT="${PORT:-7081}"
[ -f local.settings.json ] || { echo "local.settings.json is missing: run ./run.sh once first." >&2; exit 1; }
scripts/services.sh start

out=$(mktemp -d); trap 'kill "${host:-}" 2>/dev/null || true; rm -rf "$out"' EXIT
dotnet publish src/Functions -c Release -o "$out/app" -nologo -clp:ErrorsOnly -v:q
(cd "$out/app" && zip -qr "$out/app.zip" .)
dotnet build tools/FunctionsHost -nologo -clp:ErrorsOnly -v:q
dotnet build tools/DevTool -nologo -clp:ErrorsOnly -v:q
dotnet run --project tools/DevTool --no-build -- migrate --settings local.settings.json >/dev/null

api="http://localhost:$PORT/api"
start=$(date +%s.%N)
dotnet run --project tools/FunctionsHost --no-build -- --app "$out/app" --settings local.settings.json --port "$PORT" \
  >"$LOCAL_DIR/logs/cold-start-host.log" 2>&1 &
host=$!
until [ "$(curl -s -o /dev/null -w '%{http_code}' "$api/health")" = 200 ]; do
  kill -0 "$host" 2>/dev/null || { echo "the host stopped; see .local/logs/cold-start-host.log" >&2; exit 1; }
  sleep 0.1
done
health=$(date +%s.%N)
login=$(curl -s "$api/auth/login" -H 'Content-Type: application/json' \
  -d '{"email":"admin@example.com","password":"local-only-Admin#2026"}')
token=$(jq -r '.accessToken // empty' <<<"$login")
[ -n "$token" ] || { echo "the demo admin could not sign in: $login" >&2; exit 1; }
status=$(curl -s -o /dev/null -w '%{http_code}' "$api/courses/cloud-foundations/search?q=subnets&k=1" -H "Authorization: Bearer $token")
search=$(date +%s.%N)
[ "$status" = 200 ] || { echo "the search answered $status" >&2; exit 1; }

python3 - "$out/app.zip" "$start" "$health" "$search" <<'PY'
import os, sys
size = os.path.getsize(sys.argv[1]) / 1024 / 1024
start, health, search = map(float, sys.argv[2:])
print(f"package (zipped): {size:.0f} MiB   (goal: under 120 MB)")
print(f"host start -> first 200 from /api/health: {health - start:.1f} s")
print(f"host start -> first search (model loaded): {search - start:.1f} s")
PY
