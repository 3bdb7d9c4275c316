// PostgreSQL Flexible Server with pgvector: the `vector` extension is allow-listed through the
// `azure.extensions` server parameter (the initial EF migration runs CREATE EXTENSION vector).
// Microsoft Entra ID authentication is always on, with the deploying principal as Entra administrator (it runs the
// migrations and creates the app identity's role); password authentication only in password mode.

@description('Location of the resources.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Server name (globally unique, lowercase).')
param serverName string

@description('Database the app uses.')
param databaseName string

@description('PostgreSQL major version.')
@allowed([
  '15'
  '16'
  '17'
])
param version string

@description('Compute SKU name, e.g. Standard_B1ms (Burstable) or Standard_D2ds_v5 (GeneralPurpose).')
param skuName string

@description('Compute tier matching the SKU.')
@allowed([
  'Burstable'
  'GeneralPurpose'
  'MemoryOptimized'
])
param skuTier string

@description('Turn on the built-in PgBouncer (port 6432, transaction pooling); GeneralPurpose and MemoryOptimized only.')
param enablePgBouncer bool = false

@description('Storage size in GiB.')
param storageSizeGB int

@description('Accept passwords too (the administrator login below); false = Microsoft Entra ID only.')
param passwordAuthentication bool

@description('Administrator login name (password authentication only).')
param administratorLogin string

@description('Administrator password (password authentication only).')
@secure()
param administratorPassword string

@description('Object id of the Microsoft Entra administrator.')
param entraAdminObjectId string

@description('Name of the Microsoft Entra administrator (UPN or display name); its PostgreSQL login.')
param entraAdminName string

@description('User, Group or ServicePrincipal.')
param entraAdminType string

@description('Let Azure services (the Flex Consumption app has no fixed outbound addresses) reach the server.')
param allowAzureServices bool

resource server 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' = {
  name: serverName
  location: location
  tags: tags
  sku: {
    name: skuName
    tier: skuTier
  }
  properties: {
    version: version
    administratorLogin: passwordAuthentication ? administratorLogin : null
    administratorLoginPassword: passwordAuthentication ? administratorPassword : null
    authConfig: {
      activeDirectoryAuth: 'Enabled'
      passwordAuth: passwordAuthentication ? 'Enabled' : 'Disabled'
      tenantId: tenant().tenantId
    }
    storage: {
      storageSizeGB: storageSizeGB
      autoGrow: 'Enabled'
    }
    backup: {
      backupRetentionDays: 7
      geoRedundantBackup: 'Disabled'
    }
    highAvailability: {
      mode: 'Disabled'
    }
    network: {
      publicNetworkAccess: 'Enabled'
    }
  }
}

// Child changes are applied one after the other: the server rejects concurrent updates.
resource extensions 'Microsoft.DBforPostgreSQL/flexibleServers/configurations@2024-08-01' = {
  parent: server
  name: 'azure.extensions'
  properties: {
    value: 'VECTOR'
    source: 'user-override'
  }
}

resource pgBouncer 'Microsoft.DBforPostgreSQL/flexibleServers/configurations@2024-08-01' = if (enablePgBouncer) {
  parent: server
  name: 'pgbouncer.enabled'
  properties: {
    value: 'true'
    source: 'user-override'
  }
  dependsOn: [
    extensions
  ]
}

// The Entra administrator (https://learn.microsoft.com/azure/templates/microsoft.dbforpostgresql/flexibleservers/administrators):
// its name is the principal's object id.
resource entraAdmin 'Microsoft.DBforPostgreSQL/flexibleServers/administrators@2024-08-01' = {
  parent: server
  name: entraAdminObjectId
  properties: {
    principalName: entraAdminName
    principalType: entraAdminType
    tenantId: tenant().tenantId
  }
  dependsOn: [
    extensions
    pgBouncer
  ]
}

resource database 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2024-08-01' = {
  parent: server
  name: databaseName
  properties: {
    charset: 'UTF8'
    collation: 'en_US.utf8'
  }
  dependsOn: [
    entraAdmin
  ]
}

resource azureServices 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2024-08-01' = if (allowAzureServices) {
  parent: server
  name: 'AllowAllAzureServicesAndResourcesWithinAzureIps'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
  dependsOn: [
    database
  ]
}

output serverName string = server.name
output fullyQualifiedDomainName string = server.properties.fullyQualifiedDomainName
output databaseName string = database.name
