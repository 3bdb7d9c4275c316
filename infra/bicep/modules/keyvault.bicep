// Key Vault (RBAC authorization) holding the app's secrets; the function app reads them through
// Key Vault references with its user-assigned identity (Key Vault Secrets User, see roles.bicep).

@description('Location of the resources.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Key Vault name (3-24 characters, globally unique).')
@minLength(3)
@maxLength(24)
param keyVaultName string

@description('Turn on purge protection (cannot be turned off again; blocks reusing the name for the retention period).')
param enablePurgeProtection bool

@description('Npgsql connection string of the app database with its password (password mode); empty stores no secret.')
@secure()
param databaseConnectionString string

@description('Base64 HMAC-SHA256 key (at least 32 bytes) signing the access tokens.')
@secure()
param authSigningKey string

@description('Google OAuth client secret.')
@secure()
param googleClientSecret string

@description('Stripe secret API key.')
@secure()
param stripeSecretKey string

@description('Signing secret of the Stripe webhook endpoint.')
@secure()
param stripeWebhookSecret string

@description('Optional Azure OpenAI key for embeddings; empty stores no secret (the managed identity is used).')
@secure()
param embeddingsApiKey string

@description('Optional key of the OpenAI-compatible chat model; empty stores no secret (the managed identity is used).')
@secure()
param chatModelApiKey string

resource vault 'Microsoft.KeyVault/vaults@2024-11-01' = {
  name: keyVaultName
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    enablePurgeProtection: enablePurgeProtection ? true : null
    publicNetworkAccess: 'Enabled'
  }
}

var databaseSecretName = 'database-connection-string'

resource databaseSecret 'Microsoft.KeyVault/vaults/secrets@2024-11-01' = if (!empty(databaseConnectionString)) {
  parent: vault
  name: databaseSecretName
  properties: {
    value: databaseConnectionString
    contentType: 'text/plain'
  }
}

resource signingKeySecret 'Microsoft.KeyVault/vaults/secrets@2024-11-01' = {
  parent: vault
  name: 'auth-signing-key'
  properties: {
    value: authSigningKey
    contentType: 'text/plain'
  }
}

resource googleSecret 'Microsoft.KeyVault/vaults/secrets@2024-11-01' = {
  parent: vault
  name: 'google-client-secret'
  properties: {
    value: googleClientSecret
    contentType: 'text/plain'
  }
}

resource stripeKeySecret 'Microsoft.KeyVault/vaults/secrets@2024-11-01' = {
  parent: vault
  name: 'stripe-secret-key'
  properties: {
    value: stripeSecretKey
    contentType: 'text/plain'
  }
}

resource stripeWebhookSecretResource 'Microsoft.KeyVault/vaults/secrets@2024-11-01' = {
  parent: vault
  name: 'stripe-webhook-secret'
  properties: {
    value: stripeWebhookSecret
    contentType: 'text/plain'
  }
}

var embeddingsSecretName = 'embeddings-azure-openai-api-key'

resource embeddingsSecret 'Microsoft.KeyVault/vaults/secrets@2024-11-01' = if (!empty(embeddingsApiKey)) {
  parent: vault
  name: embeddingsSecretName
  properties: {
    value: embeddingsApiKey
    contentType: 'text/plain'
  }
}

var chatModelSecretName = 'chat-model-api-key'

resource chatModelSecret 'Microsoft.KeyVault/vaults/secrets@2024-11-01' = if (!empty(chatModelApiKey)) {
  parent: vault
  name: chatModelSecretName
  properties: {
    value: chatModelApiKey
    contentType: 'text/plain'
  }
}

output keyVaultName string = vault.name
output keyVaultUri string = vault.properties.vaultUri

// Secret URIs without a version, for Key Vault references in app settings: the platform picks up a
// rotated secret when it refreshes its references (within a day, or at once on a config change).
// Only meaningful in password mode (the secret exists only then).
output databaseConnectionStringUri string = '${vault.properties.vaultUri}secrets/${databaseSecretName}'
output authSigningKeyUri string = signingKeySecret.properties.secretUri
output googleClientSecretUri string = googleSecret.properties.secretUri
output stripeSecretKeyUri string = stripeKeySecret.properties.secretUri
output stripeWebhookSecretUri string = stripeWebhookSecretResource.properties.secretUri
// Only meaningful when an embeddings key was given (the secret exists only then).
output embeddingsApiKeyUri string = '${vault.properties.vaultUri}secrets/${embeddingsSecretName}'
// Only meaningful when a chat model key was given.
output chatModelApiKeyUri string = '${vault.properties.vaultUri}secrets/${chatModelSecretName}'
