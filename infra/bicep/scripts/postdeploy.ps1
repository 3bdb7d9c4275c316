# azd postdeploy hook on Windows: the PowerShell twin of postdeploy.sh (wait for health 200, restarting the app when
# a setting is an unresolved Key Vault reference; then subscribe-blob-events.ps1).
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

foreach ($name in 'AZURE_RESOURCE_GROUP', 'AZURE_FUNCTION_APP_NAME') {
    if (-not [Environment]::GetEnvironmentVariable($name)) { throw "postdeploy: set $name" }
}
$rg = $env:AZURE_RESOURCE_GROUP
$app = $env:AZURE_FUNCTION_APP_NAME
$attempts = if ($env:HEALTH_ATTEMPTS) { [int]$env:HEALTH_ATTEMPTS } else { 20 }
$delay = if ($env:HEALTH_DELAY_SECONDS) { [int]$env:HEALTH_DELAY_SECONDS } else { 15 }

$hostname = az functionapp show --resource-group $rg --name $app --query defaultHostName --output tsv
if ($LASTEXITCODE -ne 0) { throw "postdeploy: could not read the host name of $app" }

$restarts = 0
for ($attempt = 1; ; $attempt++) {
    $status = 0
    $body = ''
    try {
        $response = Invoke-WebRequest -Uri "https://$hostname/api/health" -TimeoutSec 30 -SkipHttpErrorCheck -UseBasicParsing
        $status = [int]$response.StatusCode
        $body = [string]$response.Content
    }
    catch { $body = $_.Exception.Message }
    if ($status -eq 200) { Write-Host "postdeploy: https://$hostname/api/health answers 200."; break }
    if ($body -match 'unresolved Key Vault reference' -and $restarts -lt 3) {
        $restarts++
        Write-Host "postdeploy: $body; restarting the app so the platform resolves the reference again ($restarts/3)."
        az functionapp restart --resource-group $rg --name $app --output none
        if ($LASTEXITCODE -ne 0) { throw 'postdeploy: restarting the app failed' }
    }
    if ($attempt -ge $attempts) { throw "postdeploy: health still answers $status after $attempts attempts: $body (see infra/bicep/README.md, Troubleshooting)" }
    Write-Host "postdeploy: health answers $status; waiting ($attempt/$attempts)..."
    Start-Sleep -Seconds $delay
}

& (Join-Path $PSScriptRoot 'subscribe-blob-events.ps1')
