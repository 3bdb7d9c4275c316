// Event Grid subscription that delivers BlobCreated events of the `course-content` container to the
// blob extension's webhook, which runs IngestCourseContent (a blob trigger with Source = EventGrid).
//
// It needs the `blobs_extension` system key, which exists only once the app's code (with that
// trigger) has been deployed and its host has started; Event Grid also validates the endpoint when
// the subscription is created. So it is deployed after the code: azure.yaml's postdeploy hook runs
// scripts/subscribe-blob-events.sh (this module alone), or main.bicep with subscribeBlobEvents=true.

@description('Name of the function app.')
param functionAppName string

@description('Name of the Event Grid system topic over the storage account.')
param systemTopicName string

// Both are fixed by the code: [BlobTrigger("course-content/{name}", Source = BlobTriggerSource.EventGrid)]
// on the function "IngestCourseContent"; the webhook names it Host.Functions.<function>.

resource site 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

// The host's keys (Microsoft.Web/sites/host has no resource type to declare, only this action).
var blobsExtensionKey = listKeys('${site.id}/host/default', '2024-04-01').systemKeys.blobs_extension

resource systemTopic 'Microsoft.EventGrid/systemTopics@2025-02-15' existing = {
  name: systemTopicName
}

resource subscription 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = {
  parent: systemTopic
  name: 'ingest-course-content'
  properties: {
    destination: {
      endpointType: 'WebHook'
      properties: {
        endpointUrl: 'https://${site.properties.defaultHostName}/runtime/webhooks/blobs?functionName=Host.Functions.IngestCourseContent&code=${blobsExtensionKey}'
        maxEventsPerBatch: 1
        preferredBatchSizeInKilobytes: 64
      }
    }
    eventDeliverySchema: 'EventGridSchema'
    filter: {
      includedEventTypes: [
        'Microsoft.Storage.BlobCreated'
      ]
      subjectBeginsWith: '/blobServices/default/containers/course-content/'
    }
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
  }
}

output subscriptionName string = subscription.name
