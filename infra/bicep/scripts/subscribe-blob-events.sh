#!/bin/sh
# Creates (or updates) the Event Grid subscription that sends the storage account's BlobCreated events for
# `course-content` to the blob extension webhook of IngestCourseContent, then runs the content re-scan once so blobs
# uploaded before the subscription existed are ingested too.
#
# Runs after the code is deployed (postdeploy.sh, the azure.yaml postdeploy hook): the webhook needs the host's
# `blobs_extension` system key, which exists only once the app with its Event Grid blob trigger has started, and
# Event Grid validates the endpoint when the subscription is created (a cold or restarting host can miss that
# handshake, so creation is retried). Reads the azd environment values (or set them yourself):
# AZURE_RESOURCE_GROUP, AZURE_FUNCTION_APP_NAME, EVENT_GRID_SYSTEM_TOPIC_NAME. Needs the Azure CLI, signed in, and curl.
# RETRY_DELAY_SECONDS (default 30) spaces the retries.
set -eu

: "${AZURE_RESOURCE_GROUP:?set AZURE_RESOURCE_GROUP}"
: "${AZURE_FUNCTION_APP_NAME:?set AZURE_FUNCTION_APP_NAME}"
: "${EVENT_GRID_SYSTEM_TOPIC_NAME:?set EVENT_GRID_SYSTEM_TOPIC_NAME}"

here=$(cd "$(dirname "$0")" && pwd)
template="$here/../modules/blob-events.bicep"
delay=${RETRY_DELAY_SECONDS:-30}

attempt=1
while :; do
  # Listing the keys also wakes the host; the blobs_extension key appears once the trigger is indexed.
  key=$(az functionapp keys list -g "$AZURE_RESOURCE_GROUP" -n "$AZURE_FUNCTION_APP_NAME" \
    --query "systemKeys.blobs_extension" -o tsv 2>/dev/null || true)
  if [ -n "$key" ]; then
    break
  fi
  if [ "$attempt" -ge 10 ]; then
    echo "The blobs_extension key of $AZURE_FUNCTION_APP_NAME did not appear; is the code deployed and starting?" >&2
    exit 1
  fi
  echo "Waiting for the function host to publish its blobs_extension key ($attempt/10)..."
  attempt=$((attempt + 1))
  sleep "$delay"
done

# Event Grid sends a validation request to the webhook while it creates the subscription; a host that is still
# starting (or restarting after a deployment) can fail it, and the deployment then fails. Retry a few times.
attempt=1
while ! az deployment group create \
  --resource-group "$AZURE_RESOURCE_GROUP" \
  --name blob-events \
  --template-file "$template" \
  --parameters functionAppName="$AZURE_FUNCTION_APP_NAME" systemTopicName="$EVENT_GRID_SYSTEM_TOPIC_NAME" \
  --output none; do
  if [ "$attempt" -ge 5 ]; then
    echo "The Event Grid subscription could not be created after 5 attempts (validation handshake with $AZURE_FUNCTION_APP_NAME)." >&2
    exit 1
  fi
  echo "Creating the Event Grid subscription failed (validation handshake?); retrying ($attempt/5)..."
  attempt=$((attempt + 1))
  sleep "$delay"
done
echo "Event Grid subscription ingest-course-content -> $AZURE_FUNCTION_APP_NAME (IngestCourseContent) is in place."

# The re-scan timer function, run now through the host's admin endpoint for non-HTTP functions
# (https://learn.microsoft.com/azure/azure-functions/functions-manually-run-non-http); it answers 202 and runs in the
# background. Idempotent: versions already ingested are skipped.
hostname=$(az functionapp show -g "$AZURE_RESOURCE_GROUP" -n "$AZURE_FUNCTION_APP_NAME" --query defaultHostName -o tsv)
master=$(az functionapp keys list -g "$AZURE_RESOURCE_GROUP" -n "$AZURE_FUNCTION_APP_NAME" --query masterKey -o tsv)
attempt=1
while :; do
  status=$(curl -sS --max-time 30 -o /dev/null -w '%{http_code}' -X POST "https://$hostname/admin/functions/RescanCourseContent" \
    -H "x-functions-key: $master" -H 'Content-Type: application/json' -d '{"input":""}' 2>/dev/null || echo 000)
  case "$status" in
    2??) echo "Content re-scan started (RescanCourseContent): blobs uploaded before the subscription existed are ingested now."; break ;;
  esac
  if [ "$attempt" -ge 5 ]; then
    echo "Starting the content re-scan failed (HTTP $status); it runs on its schedule (ContentRescanSchedule) anyway." >&2
    exit 1
  fi
  attempt=$((attempt + 1))
  sleep "$delay"
done
