# azd preprovision hook on Windows: the PowerShell twin of preprovision.sh (stores the signed-in user's name as
# AZURE_PRINCIPAL_NAME, the PostgreSQL server's Microsoft Entra administrator; azd passes AZURE_PRINCIPAL_ID itself).
$ErrorActionPreference = 'Stop'
if ($env:AZURE_PRINCIPAL_NAME) { Write-Host "preprovision: PostgreSQL Entra administrator: $($env:AZURE_PRINCIPAL_NAME)"; exit 0 }
$name = az ad signed-in-user show --query userPrincipalName --output tsv 2>$null
if ($LASTEXITCODE -ne 0 -or -not $name) {
    throw "preprovision: could not read the signed-in user's name (az login? a service principal?); run azd env set AZURE_PRINCIPAL_NAME <name> (and AZURE_PRINCIPAL_TYPE ServicePrincipal or Group)."
}
azd env set AZURE_PRINCIPAL_NAME $name
if ($LASTEXITCODE -ne 0) { throw 'preprovision: azd env set failed' }
Write-Host "preprovision: PostgreSQL Entra administrator: $name"
