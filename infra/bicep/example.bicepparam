// Parameters for `az deployment group create` (azd uses main.parameters.json and prompts instead).
// Secrets come from environment variables so this file holds none:
//   export GOOGLE_CLIENT_SECRET=... AUTH_SIGNING_KEY=$(openssl rand -base64 48)
// The PostgreSQL Entra administrator (who runs the migrations) is you:
//   export PG_ADMIN_OBJECT_ID=$(az ad signed-in-user show --query id -o tsv) PG_ADMIN_NAME=$(az ad signed-in-user show --query userPrincipalName -o tsv)
//   export STRIPE_SECRET_KEY=sk_test_... STRIPE_WEBHOOK_SECRET=whsec_...   # Stripe test mode keys, or live ones
//   az deployment group create -g <resource-group> -f infra/bicep/main.bicep -p infra/bicep/example.bicepparam
using 'main.bicep'

param environmentName = 'courseplatform-prod'
param frontendOrigins = 'https://learn.example.com'
param googleClientId = '1234567890-example.apps.googleusercontent.com'
param googleClientSecret = readEnvironmentVariable('GOOGLE_CLIENT_SECRET')
param authSigningKey = readEnvironmentVariable('AUTH_SIGNING_KEY')
param postgresEntraAdminObjectId = readEnvironmentVariable('PG_ADMIN_OBJECT_ID')
param postgresEntraAdminName = readEnvironmentVariable('PG_ADMIN_NAME')
// Password mode instead (the app signs in as the server administrator; the password goes to Key Vault):
// param postgresAuthentication = 'Password'
// param postgresAdminPassword = readEnvironmentVariable('POSTGRES_ADMIN_PASSWORD')
param stripeSecretKey = readEnvironmentVariable('STRIPE_SECRET_KEY')
param stripeWebhookSecret = readEnvironmentVariable('STRIPE_WEBHOOK_SECRET')

// Optional, with their defaults:
param maximumInstanceCount = 10
param postgresSkuName = 'Standard_B2s'
param postgresSkuTier = 'Burstable'
param embeddingsProvider = 'ArcticXs'
// Second run, after the code is deployed: wire BlobCreated events to IngestCourseContent.
param subscribeBlobEvents = false
