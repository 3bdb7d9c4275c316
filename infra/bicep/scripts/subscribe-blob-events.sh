#!/bin/sh
# Creates (or updates) the Event Grid subscription that sends the storage account's BlobCreated
# events for `course-content` to the blob extension webhook of IngestCourseContent.
#
# Runs after the code is deployed (azure.yaml postdeploy hook): the webhook needs the host's
# `blobs_extension` system key, which exists only once the app with its Event Grid blob trigger has
# started, and Event Grid validates the endpoint when the subscription is created.
# Reads the azd environment values (or set them yourself): AZURE_RESOURCE_GROUP,
# AZURE_FUNCTION_APP_NAME, EVENT_GRID_SYSTEM_TOPIC_NAME. Needs the Azure CLI, signed in.
set -eu

: "${AZURE_RESOURCE_GROUP:?set AZURE_RESOURCE_GROUP}"
: "${AZURE_FUNCTION_APP_NAME:?set AZURE_FUNCTION_APP_NAME}"
: "${EVENT_GRID_SYSTEM_TOPIC_NAME:?set EVENT_GRID_SYSTEM_TOPIC_NAME}"

here=$(cd "$(dirname "$0")" && pwd)
template="$here/../modules/blob-events.bicep"

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
  sleep 30
done

az deployment group create \
  --resource-group "$AZURE_RESOURCE_GROUP" \
  --name blob-events \
  --template-file "$template" \
  --parameters functionAppName="$AZURE_FUNCTION_APP_NAME" systemTopicName="$EVENT_GRID_SYSTEM_TOPIC_NAME" \
  --output none

echo "Event Grid subscription ingest-course-content -> $AZURE_FUNCTION_APP_NAME (IngestCourseContent) is in place."
