// Parameters for `az deployment group create` (azd uses main.parameters.json and prompts instead).
// Secrets come from environment variables (all three must be set) so this file holds none:
//   export GOOGLE_CLIENT_SECRET=... AUTH_SIGNING_KEY=$(openssl rand -base64 48) POSTGRES_ADMIN_PASSWORD=$(openssl rand -hex 24)
//   az deployment group create -g <resource-group> -f infra/bicep/main.bicep -p infra/bicep/example.bicepparam
using 'main.bicep'

param environmentName = 'courseplatform-prod'
param frontendOrigins = 'https://learn.example.com'
param googleClientId = '1234567890-example.apps.googleusercontent.com'
param googleClientSecret = readEnvironmentVariable('GOOGLE_CLIENT_SECRET')
param authSigningKey = readEnvironmentVariable('AUTH_SIGNING_KEY')
param postgresAdminPassword = readEnvironmentVariable('POSTGRES_ADMIN_PASSWORD')

// Optional, with their defaults:
param maximumInstanceCount = 10
param postgresSkuName = 'Standard_B2s'
param postgresSkuTier = 'Burstable'
param embeddingsProvider = 'ArcticXs'
// Second run, after the code is deployed: wire BlobCreated events to IngestCourseContent.
param subscribeBlobEvents = false
