#!/bin/sh
# azd postdeploy hook (azure.yaml): once the code is deployed,
#   1. waits until GET /api/health answers 200. An app setting that is still an unresolved Key Vault reference
#      (the identity's Key Vault role was still propagating when the platform resolved it) makes health answer 503
#      naming the setting; the platform resolves references again on a restart, so this restarts the app (at most
#      three times) instead of leaving it broken until someone notices;
#   2. creates the Event Grid subscription and runs the content re-scan once (subscribe-blob-events.sh).
# Reads AZURE_RESOURCE_GROUP and AZURE_FUNCTION_APP_NAME (azd environment values). Needs the Azure CLI and curl.
# HEALTH_ATTEMPTS / HEALTH_DELAY_SECONDS tune the wait (default 20 x 15 s).
set -eu

: "${AZURE_RESOURCE_GROUP:?set AZURE_RESOURCE_GROUP}"
: "${AZURE_FUNCTION_APP_NAME:?set AZURE_FUNCTION_APP_NAME}"
here=$(cd "$(dirname "$0")" && pwd)

hostname=$(az functionapp show --resource-group "$AZURE_RESOURCE_GROUP" --name "$AZURE_FUNCTION_APP_NAME" --query defaultHostName --output tsv)
attempts=${HEALTH_ATTEMPTS:-20}
delay=${HEALTH_DELAY_SECONDS:-15}
body=$(mktemp)
trap 'rm -f "$body"' EXIT

attempt=1
restarts=0
while :; do
  status=$(curl -sS --max-time 30 -o "$body" -w '%{http_code}' "https://$hostname/api/health" 2>/dev/null || echo 000)
  if [ "$status" = 200 ]; then
    echo "postdeploy: https://$hostname/api/health answers 200."
    break
  fi
  if grep -q 'unresolved Key Vault reference' "$body" 2>/dev/null && [ "$restarts" -lt 3 ]; then
    restarts=$((restarts + 1))
    echo "postdeploy: $(cat "$body"); restarting the app so the platform resolves the reference again ($restarts/3)."
    az functionapp restart --resource-group "$AZURE_RESOURCE_GROUP" --name "$AZURE_FUNCTION_APP_NAME" --output none
  fi
  if [ "$attempt" -ge "$attempts" ]; then
    echo "postdeploy: health still answers $status after $attempts attempts: $(cat "$body" 2>/dev/null)" >&2
    echo "postdeploy: see infra/bicep/README.md (Troubleshooting)." >&2
    exit 1
  fi
  echo "postdeploy: health answers $status; waiting ($attempt/$attempts)..."
  attempt=$((attempt + 1))
  sleep "$delay"
done

"$here/subscribe-blob-events.sh"
