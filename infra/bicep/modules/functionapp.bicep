// Flex Consumption plan (FC1) + the Linux function app running the isolated .NET worker. The app
// runs as the user-assigned identity: package deployment from blob storage, host storage, Key
// Vault references and DefaultAzureCredential all use it. App settings are set in main.bicep.

@description('Location of the resources.')
param location string

@description('Tags applied to the plan.')
param tags object

@description('azd service name the app is tagged with (`azd-service-name`).')
param serviceName string

@description('Name of the Flex Consumption plan.')
param planName string

@description('Name of the function app (becomes <name>.azurewebsites.net).')
param functionAppName string

@description('Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('Blob endpoint of the storage account, ending with a slash.')
param blobEndpoint string

@description('Blob container the app package is deployed to.')
param deploymentContainerName string

@description('.NET version of the isolated worker.')
param dotnetVersion string

@description('Memory per instance in MB (512, 2048 or 4096).')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@description('Most instances the app scales out to (also bounds the PostgreSQL connections: instances × pool size).')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int

@description('Concurrent HTTP requests per instance before the platform scales out.')
@minValue(1)
@maxValue(1000)
param httpPerInstanceConcurrency int

@description('Frontend origins allowed by the platform CORS (the app relies on the platform for preflight).')
param allowedOrigins array

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: functionAppName
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      cors: {
        allowedOrigins: allowedOrigins
        supportCredentials: false
      }
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${blobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      runtime: {
        name: 'dotnet-isolated'
        version: dotnetVersion
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
        triggers: {
          http: {
            perInstanceConcurrency: httpPerInstanceConcurrency
          }
        }
      }
    }
  }
}

output name string = site.name
output defaultHostName string = site.properties.defaultHostName
