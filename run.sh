#!/usr/bin/env bash
# Serves the app on http://localhost:7071 with its local services and the demo data.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/common.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
PORT="${PORT:-7071}"

scripts/services.sh start

# Your own settings file, made once from the sample (git-ignored); `func` reads it next to the project.
[ -f local.settings.json ] || { cp local.settings.sample.json local.settings.json; log "created local.settings.json from the sample"; }
# Settings the sample gained since then are added with their sample values; yours are never changed.
python3 - <<'PY' | while read -r key; do log "added $key to local.settings.json from the sample"; done
import json
sample = json.load(open("local.settings.sample.json"))
mine = json.load(open("local.settings.json"))
added = [k for k in sample["Values"] if k not in mine.setdefault("Values", {})]
for k in added: mine["Values"][k] = sample["Values"][k]
if added:
    json.dump(mine, open("local.settings.json", "w"), indent=2)
    print("\n".join(added))
PY
ln -sf ../../local.settings.json src/Functions/local.settings.json

dotnet tool restore >/dev/null
dotnet build src/Functions -nologo -clp:ErrorsOnly -v:q
dotnet build tools/DevTool -nologo -clp:ErrorsOnly -v:q
dotnet run --project tools/DevTool --no-build -- migrate seed storage-cors --settings local.settings.json

children=()
trap 'kill "${children[@]}" 2>/dev/null' EXIT
# Sign-in goes to a local stand-in for Google while the settings point at loopback (the default).
if grep -Eq '"Google__Authority": *"https?://(127\.0\.0\.1|localhost)' local.settings.json; then
  dotnet build tools/OidcStandIn -nologo -clp:ErrorsOnly -v:q
  dotnet run --project tools/OidcStandIn --no-build -- --settings "$REPO_ROOT/local.settings.json" >"$LOCAL_DIR/logs/oidc-standin.log" 2>&1 &
  children+=($!)
  log "OpenID Connect stand-in started (log: .local/logs/oidc-standin.log)"
fi

# Payments go to a local stand-in for Stripe while the settings point at loopback (the default); it delivers its
# signed webhooks to this app's port.
if grep -Eq '"Stripe__ApiBase": *"https?://(127\.0\.0\.1|localhost)' local.settings.json; then
  dotnet build tools/StripeStandIn -nologo -clp:ErrorsOnly -v:q
  dotnet run --project tools/StripeStandIn --no-build -- --settings "$REPO_ROOT/local.settings.json" \
    --webhook-url "http://localhost:$PORT/api/payments/stripe/webhook" >"$LOCAL_DIR/logs/stripe-standin.log" 2>&1 &
  children+=($!)
  log "Stripe stand-in started (log: .local/logs/stripe-standin.log)"
fi

# The reference frontend (samples/web: static files, no build step) on http://localhost:5173, the origin the sample
# settings allow for CORS, sign-in and uploads. One checkout at a time can hold the port; a second run.sh says so.
if python3 -c 'import socket, sys; sys.exit(socket.socket().connect_ex(("127.0.0.1", 5173)) == 0)'; then
  python3 -m http.server 5173 --bind 127.0.0.1 --directory samples/web >"$LOCAL_DIR/logs/web.log" 2>&1 &
  children+=($!)
  log "reference frontend: http://localhost:5173/?api=http://localhost:$PORT/api"
else
  log "port 5173 is taken (another ./run.sh?): the reference frontend is not served from this checkout"
fi

if command -v func >/dev/null 2>&1; then
  log "serving with Azure Functions Core Tools on http://localhost:$PORT"
  cd src/Functions && func start --port "$PORT"
elif [ -f tools/FunctionsHost/CoursePlatform.FunctionsHost.csproj ]; then
  log "Core Tools (func) not found: serving with the project's local Functions host on http://localhost:$PORT"
  dotnet build tools/FunctionsHost -nologo -clp:ErrorsOnly -v:q
  # /admin/* needs the master key, as in Azure: one per checkout, kept in .local (git-ignored) for scripts and curl.
  key_file="$LOCAL_DIR/functions-master-key"
  [ -s "$key_file" ] || { head -c 30 /dev/urandom | base64 | tr '+/' '-_' >"$key_file"; chmod 600 "$key_file"; }
  export FunctionsHost__MasterKey="$(cat "$key_file")"
  log "admin API key (x-functions-key): .local/functions-master-key"
  # A function Azure would refuse (in error) stops the host here rather than being left out quietly. The app runs on
  # Flex Consumption (infra/bicep), whose rules the host applies when WEBSITE_SKU says so, as the platform sets it.
  WEBSITE_SKU="${WEBSITE_SKU:-FlexConsumption}" dotnet run --project tools/FunctionsHost --no-build -- \
    --app src/Functions/bin/Debug/net10.0 --settings local.settings.json --port "$PORT" --fail-on-function-errors
else
  echo "Azure Functions Core Tools (func) is not installed and this checkout has no local host yet (tools/FunctionsHost)." >&2
  echo "Install Core Tools v4 (https://learn.microsoft.com/azure/azure-functions/functions-run-local) and run ./run.sh again." >&2
  exit 1
fi
