// CoursePlatform: everything the function app needs in one resource group.
//
//   user-assigned identity ── runs the app; roles on storage, Key Vault, Application Insights
//   storage account ───────── host storage, `course-content` uploads, deployment package,
//                              Event Grid system topic (BlobCreated → IngestCourseContent)
//   Flex Consumption app ──── .NET isolated worker, app settings below, platform CORS
//   PostgreSQL Flexible ───── pgvector allow-listed, database `courseplatform`
//   Key Vault (RBAC) ──────── DB connection string, JWT signing key, Google client secret
//   Log Analytics + App Insights (Entra ID ingestion)
//
// Deploy with `azd up` (azure.yaml at the repository root) or `az deployment group create`;
// see README.md beside this file.

targetScope = 'resourceGroup'

// ---------------------------------------------------------------- environment

@minLength(1)
@maxLength(64)
@description('Environment name (azd env name); part of the unique resource token and tags.')
param environmentName string

@minLength(1)
@description('Location of every resource.')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string = resourceGroup().location

@description('Comma-separated frontend origins (scheme://host[:port], no trailing slash), e.g. "https://learn.example.com,http://localhost:5173": platform CORS, blob upload CORS and the origins Google sign-in may return to.')
@minLength(1)
param frontendOrigins string

@description('The frontend page a failed Google sign-in returns to (with ?error=) when its start is unknown; on one of frontendOrigins. Empty: the first origin\'s root.')
param frontendSignInErrorUrl string = ''

// ---------------------------------------------------------------- function app

@description('.NET version of the isolated worker (the app targets net10.0).')
param dotnetVersion string = '10.0'

@description('Memory per Flex Consumption instance in MB; the MiniLM embedding model wants 2048.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Most instances the app scales out to. Each holds up to databaseMaxPoolSize PostgreSQL connections.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 10

@description('Concurrent HTTP requests per instance before the platform adds one.')
@minValue(1)
@maxValue(1000)
param httpPerInstanceConcurrency int = 16

@description('Public base URL of the API as browsers and Google see it; empty = https://<function app default host name>.')
param apiBaseUrl string = ''

@description('After the code is deployed: also create the Event Grid subscription to the blob extension webhook (needs the blobs_extension key). azd does this in its postdeploy hook instead.')
param subscribeBlobEvents bool = false

// ---------------------------------------------------------------- auth

@description('Issuer (iss) of the access tokens; empty = the API base URL.')
param authIssuer string = ''

@description('Audience (aud) of the access tokens.')
param authAudience string = 'courseplatform-api'

@description('Base64 of at least 32 random bytes: the HMAC-SHA256 key signing access tokens (stored in Key Vault). azd generates 64 alphanumeric characters (valid base64, 48 bytes).')
@secure()
@minLength(44)
@metadata({
  azd: {
    type: 'generate'
    config: {
      length: 64
      noSpecial: true
    }
  }
})
param authSigningKey string

@description('OAuth client id of the Google Cloud "Web application" client.')
@minLength(1)
param googleClientId string

@description('OAuth client secret of that Google client (stored in Key Vault).')
@secure()
@minLength(1)
param googleClientSecret string

@description('Callback registered at Google; empty = <API base URL>/api/auth/google/callback.')
param googleCallbackUrl string = ''

// ---------------------------------------------------------------- payments (Stripe)

@description('Stripe secret API key (sk_live_... or, for test mode, sk_test_...; stored in Key Vault).')
@secure()
@minLength(1)
param stripeSecretKey string

@description('Signing secret (whsec_...) of the Stripe webhook endpoint <API base URL>/api/payments/stripe/webhook (stored in Key Vault).')
@secure()
@minLength(1)
param stripeWebhookSecret string

@description('Frontend page a paid checkout returns to ({ORDER_ID} and {CHECKOUT_SESSION_ID} are filled in); empty = <first frontend origin>/orders/{ORDER_ID}?checkout=success.')
param stripeSuccessUrl string = ''

@description('Frontend page a learner who leaves the payment page returns to; empty = <first frontend origin>/orders/{ORDER_ID}?checkout=cancelled.')
param stripeCancelUrl string = ''

@description('How long a Stripe Checkout page stays open (d.hh:mm:ss; Stripe accepts 30 minutes to 24 hours).')
param stripeSessionLifetime string = '01:00:00'

@description('NCRONTAB (6 fields, UTC) of ReconcileOrders: repairs orders without a payment page and expires lapsed ones.')
param paymentReconcileSchedule string = '0 */5 * * * *'

// ---------------------------------------------------------------- timers

@description('NCRONTAB (6 fields, UTC) of ExpireRefreshSessions.')
param sessionExpirySchedule string = '0 0 * * * *'

@description('Largest JSON request body the API accepts, in bytes.')
param httpMaxRequestBodyBytes int = 1048576

@description('Proxies in front of the app that append to X-Forwarded-For: App Service\'s front end appends the peer address it saw as the right-most entry (1); add one per proxy you put in front (Front Door, Application Gateway).')
@minValue(1)
@maxValue(5)
param httpTrustedProxyHops int = 1

@description('Seconds in which a just-rotated refresh token still yields a fresh pair of its session (two tabs refreshing at once).')
@minValue(0)
@maxValue(120)
param authRefreshReuseGraceSeconds int = 30

@description('NCRONTAB (6 fields, UTC) of ResetPromptQuotas.')
param quotaResetSchedule string = '0 0 0 * * *'

@description('NCRONTAB (UTC) of the RescanCourseContent timer, which ingests course-content blobs whose current version no Event Grid event brought.')
param contentRescanSchedule string = '0 30 3 * * *'

// ---------------------------------------------------------------- quizzes

@description('How long a failed quiz attempt closes the module (TimeSpan d.hh:mm:ss); product default 7 days.')
param quizFailureCooldown string = '7.00:00:00'

@description('How long a learner has to submit a started quiz attempt (TimeSpan).')
param quizAttemptTimeLimit string = '00:10:00'

@description('Typed AI-tutor questions per learner, course and module in one quota window.')
@minValue(1)
param aiTutorPromptsPerWindow int = 5

@description('How long a tutor quota window lasts from its first typed question (TimeSpan d.hh:mm:ss).')
param aiTutorQuotaWindow string = '1.00:00:00'

@description('Typed AI-tutor questions per learner per minute.')
@minValue(1)
param aiTutorRequestsPerMinute int = 8

@description('When a submitted attempt shows the answer key: passed (only an attempt that passed), never, always.')
@allowed([
  'passed'
  'never'
  'always'
])
param quizRevealAnswers string = 'passed'

// ---------------------------------------------------------------- embeddings

@description('Embedding model: ArcticXs or MiniLM (both run in the app, no extra service; ArcticXs retrieves better on the tutor evaluation) or AzureOpenAI. Switching re-embeds existing chunks in the background.')
@allowed([
  'ArcticXs'
  'MiniLM'
  'AzureOpenAI'
])
param embeddingsProvider string = 'ArcticXs'

@description('Texts per embedding call during ingestion.')
@minValue(1)
@maxValue(256)
param embeddingsBatchSize int = 32

@description('Azure OpenAI endpoint (https://<resource>.openai.azure.com/) when embeddingsProvider is AzureOpenAI.')
param embeddingsAzureOpenAIEndpoint string = ''

@description('Azure OpenAI deployment of the embedding model.')
param embeddingsAzureOpenAIDeployment string = 'text-embedding-3-small'

@description('Model behind that deployment (part of the model name recorded on every chunk).')
param embeddingsAzureOpenAIModel string = 'text-embedding-3-small'

@description('Optional Azure OpenAI key (stored in Key Vault); empty = the managed identity, which then needs "Cognitive Services OpenAI User" on the resource.')
@secure()
param embeddingsAzureOpenAIApiKey string = ''

// ---------------------------------------------------------------- chat model (ChatModel__*)

@description('Base URL of an OpenAI-compatible chat API (Azure OpenAI: https://<resource>.openai.azure.com/openai/v1/); empty = no chat model (rule-based persona classification, extractive tutor answers).')
param chatModelEndpoint string = ''

@description('Chat model (Azure OpenAI: deployment) name.')
param chatModelName string = 'gpt-4o-mini'

@description('Optional chat model API key (stored in Key Vault); empty = the managed identity, which then needs "Cognitive Services OpenAI User" on the resource.')
@secure()
param chatModelApiKey string = ''

@description('Seconds a chat model call may take.')
@minValue(1)
@maxValue(120)
param chatModelTimeoutSeconds int = 30

// ---------------------------------------------------------------- ingestion limits (Ingestion__*)

@description('Largest uploaded lesson file ingested, in bytes.')
@minValue(1)
param ingestionMaxFileBytes int = 52428800

@description('Most slides read from one .pptx.')
@minValue(1)
@maxValue(100000)
param ingestionMaxSlides int = 500

@description('Most cues read from one subtitle file.')
@minValue(1)
@maxValue(1000000)
param ingestionMaxCues int = 20000

@description('Most characters of text extracted from one file.')
@minValue(1)
@maxValue(100000000)
param ingestionMaxExtractedCharacters int = 2000000

@description('Most bytes the XML parts of a .pptx may inflate to (zip-bomb guard).')
@minValue(1)
param ingestionMaxUncompressedXmlBytes int = 104857600

@description('Attempts at one blob version before it is marked failed for good.')
@minValue(1)
@maxValue(20)
param ingestionMaxAttempts int = 3

@description('Minutes an upload URL stays valid.')
@minValue(1)
@maxValue(1440)
param ingestionUploadUrlMinutes int = 15

@description('Minutes after which a running ingestion whose lease is still held (a connection that never closed) is taken as dead and retried; a dead worker\'s lease ends with its connection at once.')
@minValue(1)
@maxValue(1440)
param ingestionStaleRunningMinutes int = 15

// ---------------------------------------------------------------- database

@description('PostgreSQL major version (pgvector 0.8 is needed for iterative index scans).')
@allowed([
  '15'
  '16'
  '17'
])
param postgresVersion string = '16'

@description('PostgreSQL compute SKU.')
param postgresSkuName string = 'Standard_B2s'

@description('Tier of that SKU.')
@allowed([
  'Burstable'
  'GeneralPurpose'
  'MemoryOptimized'
])
param postgresSkuTier string = 'Burstable'

@description('Connect the app through the server\'s built-in PgBouncer (transaction pooling, port 6432). Azure offers it on the GeneralPurpose and MemoryOptimized tiers only, so on Burstable the app connects directly (port 5432) whatever this says.')
param postgresPgBouncer bool = true

@description('PostgreSQL storage in GiB.')
param postgresStorageSizeGB int = 32

@description('How the app signs in to PostgreSQL. EntraId (default): as its user-assigned identity with an access token, through a PostgreSQL role that may only read and write the app\'s tables (created by the migration hook); the server accepts Entra ID only and no database password exists. Password: as the server administrator with postgresAdminPassword, kept in Key Vault.')
@allowed([
  'EntraId'
  'Password'
])
param postgresAuthentication string = 'EntraId'

@description('Object id of the server\'s Microsoft Entra administrator, who runs the migrations (azd: the signed-in principal).')
@minLength(1)
param postgresEntraAdminObjectId string

@description('Name of that principal as Entra ID knows it (a user\'s UPN, a group\'s or service principal\'s display name); also the PostgreSQL login of the migrations. azd: set by the preprovision hook.')
@minLength(1)
param postgresEntraAdminName string

@description('Kind of that principal.')
@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param postgresEntraAdminType string = 'User'

@description('PostgreSQL administrator login (postgresAuthentication Password only; also the app\'s login then).')
param postgresAdminLogin string = 'courseplatform'

@description('PostgreSQL administrator password, used only when postgresAuthentication is Password (azd: azd env set POSTGRES_ADMIN_PASSWORD; at least 12 characters, no double quotes).')
@secure()
param postgresAdminPassword string = ''

@description('Database of the app.')
param databaseName string = 'courseplatform'

@description('Npgsql pool size per instance. Directly (Burstable): instances × this must stay under the server\'s max_connections; through PgBouncer it counts against max_client_conn (5000) while PgBouncer holds at most its default_pool_size (50) server connections.')
@minValue(1)
@maxValue(200)
param databaseMaxPoolSize int = 20

@description('Allow connections from Azure services to PostgreSQL (the 0.0.0.0 rule, which admits every Azure tenant\'s addresses; needed: Flex Consumption without a VNet has no fixed outbound addresses). Login still needs an Entra ID token (or the password in password mode). See README.md, Networking.')
param postgresAllowAzureServices bool = true

// ---------------------------------------------------------------- misc

@description('Turn on Key Vault purge protection (irreversible).')
param keyVaultPurgeProtection bool = false

@description('Tags applied to every resource.')
param tags object = {}

// ---------------------------------------------------------------- names

var resourceToken = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))
var allTags = union(tags, { 'azd-env-name': environmentName })
var functionAppName = 'func-${resourceToken}'
var contentContainerName = 'course-content'
var deploymentContainerName = 'app-package'
// The built-in PgBouncer exists on GeneralPurpose and MemoryOptimized servers only.
var pgBouncer = postgresPgBouncer && postgresSkuTier != 'Burstable'
// Through PgBouncer (transaction pooling) a server connection serves a client only for one transaction: nothing
// may outlive it (the app uses SET LOCAL and transaction-level advisory locks, and prepares no statements), and
// resetting session state on close would be a wasted round trip.
var databasePort = pgBouncer ? 6432 : 5432
var poolingOptions = pgBouncer ? ';No Reset On Close=true' : ''
var origins = filter(map(split(frontendOrigins, ','), origin => trim(origin)), origin => !empty(origin))
var passwordMode = postgresAuthentication == 'Password'
// Everything but who signs in; the migration hook connects directly (port 5432) as the Entra administrator.
var databaseConnectionBase = 'Host=${postgres.outputs.fullyQualifiedDomainName};Port=${databasePort};Database=${postgres.outputs.databaseName};SSL Mode=VerifyFull;Maximum Pool Size=${databaseMaxPoolSize}${poolingOptions}'
// The app's PostgreSQL role in Entra ID mode is named after its identity (DevTool app-role creates it for the identity's object id).
var appDatabaseRole = identity.name
var apiBase = empty(apiBaseUrl) ? 'https://${functionApp.outputs.defaultHostName}' : apiBaseUrl

// ---------------------------------------------------------------- resources

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-${resourceToken}'
  location: location
  tags: allTags
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    tags: allTags
    logAnalyticsName: 'log-${resourceToken}'
    applicationInsightsName: 'appi-${resourceToken}'
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    tags: allTags
    storageAccountName: 'st${resourceToken}'
    deploymentContainerName: deploymentContainerName
    contentContainerName: contentContainerName
    systemTopicName: 'evgt-${resourceToken}'
    uploadOrigins: origins
  }
}

module postgres 'modules/postgres.bicep' = {
  name: 'postgres'
  params: {
    location: location
    tags: allTags
    serverName: 'psql-${resourceToken}'
    databaseName: databaseName
    version: postgresVersion
    skuName: postgresSkuName
    skuTier: postgresSkuTier
    storageSizeGB: postgresStorageSizeGB
    passwordAuthentication: passwordMode
    administratorLogin: postgresAdminLogin
    administratorPassword: postgresAdminPassword
    entraAdminObjectId: postgresEntraAdminObjectId
    entraAdminName: postgresEntraAdminName
    entraAdminType: postgresEntraAdminType
    allowAzureServices: postgresAllowAzureServices
    enablePgBouncer: pgBouncer
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    location: location
    tags: allTags
    keyVaultName: 'kv-${resourceToken}'
    enablePurgeProtection: keyVaultPurgeProtection
    // Password mode only (no secret otherwise). Password quoted for the connection-string parser (embedded double quotes doubled).
    databaseConnectionString: passwordMode
      ? '${databaseConnectionBase};Username=${postgresAdminLogin};Password="${replace(postgresAdminPassword, '"', '""')}"'
      : ''
    authSigningKey: authSigningKey
    googleClientSecret: googleClientSecret
    stripeSecretKey: stripeSecretKey
    stripeWebhookSecret: stripeWebhookSecret
    embeddingsApiKey: embeddingsAzureOpenAIApiKey
    chatModelApiKey: chatModelApiKey
  }
}

module roles 'modules/roles.bicep' = {
  name: 'roles'
  params: {
    principalId: identity.properties.principalId
    storageAccountName: storage.outputs.storageAccountName
    keyVaultName: keyVault.outputs.keyVaultName
    applicationInsightsName: monitoring.outputs.applicationInsightsName
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    location: location
    tags: allTags
    serviceName: 'api'
    planName: 'plan-${resourceToken}'
    functionAppName: functionAppName
    identityId: identity.id
    blobEndpoint: storage.outputs.blobEndpoint
    deploymentContainerName: storage.outputs.deploymentContainerName
    dotnetVersion: dotnetVersion
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    httpPerInstanceConcurrency: httpPerInstanceConcurrency
    allowedOrigins: origins
  }
  // The package deployment and host storage need the storage roles before the app first starts.
  dependsOn: [
    roles
  ]
}

resource site 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

// Every setting the app reads (see local.settings.sample.json and the README's Settings table), in
// their Azure form. FUNCTIONS_WORKER_RUNTIME is not an app setting on Flex Consumption: the runtime is
// functionAppConfig.runtime. This resource owns the app settings: add new ones here, not by hand.
resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'appsettings'
  properties: {
    // Host storage (and the app's BlobServiceClient) with the user-assigned identity, no keys.
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identity.properties.clientId
    AzureWebJobsStorage__blobServiceUri: storage.outputs.blobEndpoint
    AzureWebJobsStorage__queueServiceUri: storage.outputs.queueEndpoint
    AzureWebJobsStorage__tableServiceUri: storage.outputs.tableEndpoint
    // Same blob endpoint under the name Microsoft.Extensions.Azure binds BlobServiceClient's
    // constructor by (AddBlobServiceClient(section) needs `serviceUri`); the host accepts it as an
    // alias of blobServiceUri.
    AzureWebJobsStorage__serviceUri: storage.outputs.blobEndpoint
    // DefaultAzureCredential picks the user-assigned identity.
    AZURE_CLIENT_ID: identity.properties.clientId
    APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.applicationInsightsConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.properties.clientId};Authorization=AAD'
    AZURE_FUNCTIONS_ENVIRONMENT: 'Production'

    // Entra ID mode: no secret in the string; the app fetches its identity's token (Database__Authentication).
    Database__ConnectionString: passwordMode
      ? '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.databaseConnectionStringUri})'
      : '${databaseConnectionBase};Username=${appDatabaseRole}'
    Database__Authentication: postgresAuthentication

    Auth__Issuer: empty(authIssuer) ? apiBase : authIssuer
    Auth__Audience: authAudience
    Auth__SigningKey: '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.authSigningKeyUri})'
    Auth__RefreshReuseGraceSeconds: string(authRefreshReuseGraceSeconds)

    // Fixed, not a parameter: the app refuses a loopback authority outside Development anyway.
    Google__Authority: 'https://accounts.google.com'
    Google__ClientId: googleClientId
    Google__ClientSecret: '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.googleClientSecretUri})'
    Google__CallbackUrl: empty(googleCallbackUrl) ? '${apiBase}/api/auth/google/callback' : googleCallbackUrl
    Google__AllowedRedirectOrigins: join(origins, ',')
    // Where a failed sign-in whose start is unknown goes back to (with ?error=): the first frontend origin's root
    // unless a page is named.
    Google__DefaultFrontendUrl: empty(frontendSignInErrorUrl) ? '${origins[0]}/' : frontendSignInErrorUrl

    // The real Stripe (an empty API base); the keys are Key Vault references, never values in settings.
    Stripe__ApiBase: ''
    Stripe__SecretKey: '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.stripeSecretKeyUri})'
    Stripe__WebhookSecret: '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.stripeWebhookSecretUri})'
    Stripe__SuccessUrl: empty(stripeSuccessUrl) ? '${origins[0]}/orders/{ORDER_ID}?checkout=success' : stripeSuccessUrl
    Stripe__CancelUrl: empty(stripeCancelUrl) ? '${origins[0]}/orders/{ORDER_ID}?checkout=cancelled' : stripeCancelUrl
    Stripe__SessionLifetime: stripeSessionLifetime
    Stripe__WebhookToleranceSeconds: '300'
    Stripe__SessionRepairDelay: '00:01:00'
    PaymentReconcileSchedule: paymentReconcileSchedule

    SessionExpirySchedule: sessionExpirySchedule
    Http__MaxRequestBodyBytes: string(httpMaxRequestBodyBytes)
    // The host refuses (413) a body over twice the app's own limit before buffering it for the worker; between the two,
    // the app answers 413 problem+json.
    FUNCTIONS_REQUEST_BODY_SIZE_LIMIT: string(httpMaxRequestBodyBytes * 2)
    Http__TrustedProxyHops: string(httpTrustedProxyHops)
    QuotaResetSchedule: quotaResetSchedule
    ContentRescanSchedule: contentRescanSchedule
    Quiz__FailureCooldown: quizFailureCooldown
    Quiz__AttemptTimeLimit: quizAttemptTimeLimit
    Quiz__RevealAnswers: quizRevealAnswers
    AiTutor__PromptsPerWindow: string(aiTutorPromptsPerWindow)
    AiTutor__QuotaWindow: aiTutorQuotaWindow
    AiTutor__RequestsPerMinute: string(aiTutorRequestsPerMinute)

    Embeddings__Provider: embeddingsProvider
    Embeddings__BatchSize: string(embeddingsBatchSize)
    Embeddings__AzureOpenAI__Endpoint: embeddingsAzureOpenAIEndpoint
    Embeddings__AzureOpenAI__Deployment: embeddingsAzureOpenAIDeployment
    Embeddings__AzureOpenAI__Model: embeddingsAzureOpenAIModel
    Embeddings__AzureOpenAI__ApiKey: empty(embeddingsAzureOpenAIApiKey)
      ? ''
      : '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.embeddingsApiKeyUri})'

    ChatModel__Endpoint: chatModelEndpoint
    ChatModel__Model: chatModelName
    ChatModel__ApiKey: empty(chatModelApiKey) ? '' : '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.chatModelApiKeyUri})'
    ChatModel__TimeoutSeconds: string(chatModelTimeoutSeconds)

    Ingestion__MaxFileBytes: string(ingestionMaxFileBytes)
    Ingestion__MaxSlides: string(ingestionMaxSlides)
    Ingestion__MaxCues: string(ingestionMaxCues)
    Ingestion__MaxExtractedCharacters: string(ingestionMaxExtractedCharacters)
    Ingestion__MaxUncompressedXmlBytes: string(ingestionMaxUncompressedXmlBytes)
    Ingestion__MaxAttempts: string(ingestionMaxAttempts)
    Ingestion__UploadUrlMinutes: string(ingestionUploadUrlMinutes)
    Ingestion__StaleRunningMinutes: string(ingestionStaleRunningMinutes)
  }
}

// Probes GET /api/health from Azure regions into Application Insights (availability results).
module availability 'modules/availability.bicep' = {
  name: 'availability'
  params: {
    location: location
    tags: allTags
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    healthUrl: '${apiBase}/api/health'
  }
}

module blobEvents 'modules/blob-events.bicep' = if (subscribeBlobEvents) {
  name: 'blob-events'
  params: {
    functionAppName: functionApp.outputs.name
    systemTopicName: storage.outputs.systemTopicName
  }
  dependsOn: [
    appSettings
  ]
}

// ---------------------------------------------------------------- outputs (azd env values; no secrets)

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = resourceGroup().name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output SERVICE_API_NAME string = functionApp.outputs.name
output SERVICE_API_URI string = apiBase
output GOOGLE_REDIRECT_URI string = empty(googleCallbackUrl) ? '${apiBase}/api/auth/google/callback' : googleCallbackUrl
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.storageAccountName
output COURSE_CONTENT_CONTAINER string = storage.outputs.contentContainerName
output EVENT_GRID_SYSTEM_TOPIC_NAME string = storage.outputs.systemTopicName
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.keyVaultName
output POSTGRES_SERVER_NAME string = postgres.outputs.serverName
output POSTGRES_HOST string = postgres.outputs.fullyQualifiedDomainName
output POSTGRES_DATABASE string = postgres.outputs.databaseName
output POSTGRES_ADMIN_LOGIN string = postgresAdminLogin
// Read by the migration hook: who migrates, and which role the app signs in as (empty in password mode: the app is the administrator).
output POSTGRES_ENTRA_ADMIN_NAME string = postgresEntraAdminName
output POSTGRES_APP_ROLE string = passwordMode ? '' : appDatabaseRole
output AZURE_MANAGED_IDENTITY_PRINCIPAL_ID string = identity.properties.principalId
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = identity.properties.clientId
