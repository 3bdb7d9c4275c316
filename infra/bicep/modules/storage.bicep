// The one storage account of the app: Functions host storage (blobs, queues, tables), the lesson
// uploads container `course-content`, the Flex Consumption deployment container, and the Event Grid
// system topic whose BlobCreated events drive the IngestCourseContent blob trigger.
// Shared keys are off: everything (host, app, browser uploads through user-delegation SAS) uses Entra ID.

@description('Location of the resources.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Storage account name (3-24 lowercase letters and digits).')
@minLength(3)
@maxLength(24)
param storageAccountName string

@description('Container the Flex Consumption app package is deployed to.')
param deploymentContainerName string

@description('Container lesson files are uploaded to; fixed by the blob trigger path.')
param contentContainerName string

@description('Name of the Event Grid system topic over the storage account.')
param systemTopicName string

@description('Frontend origins allowed to PUT blobs with an upload URL (blob service CORS).')
param uploadOrigins array

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' = {
  name: storageAccountName
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    dnsEndpointType: 'Standard'
    networkAcls: {
      // Flex Consumption without a virtual network and browser uploads both reach the public endpoint.
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2024-01-01' = {
  parent: storage
  name: 'default'
  properties: {
    cors: {
      corsRules: [
        {
          // Browsers upload lesson files straight to storage with a single-blob user-delegation SAS.
          allowedOrigins: uploadOrigins
          allowedMethods: [
            'PUT'
          ]
          allowedHeaders: [
            'content-type'
            'content-md5'
            'x-ms-*'
          ]
          exposedHeaders: [
            'etag'
            'x-ms-*'
          ]
          maxAgeInSeconds: 3600
        }
      ]
    }
    deleteRetentionPolicy: {
      enabled: true
      days: 7
    }
  }
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource contentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' = {
  parent: blobService
  name: contentContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource systemTopic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: systemTopicName
  location: location
  tags: tags
  properties: {
    source: storage.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

output storageAccountName string = storage.name
output blobEndpoint string = storage.properties.primaryEndpoints.blob
output queueEndpoint string = storage.properties.primaryEndpoints.queue
output tableEndpoint string = storage.properties.primaryEndpoints.table
output deploymentContainerName string = deploymentContainer.name
output contentContainerName string = contentContainer.name
output systemTopicName string = systemTopic.name
