# The PowerShell twin of subscribe-blob-events.sh: creates the Event Grid subscription (waiting for the host's
# blobs_extension key, retrying the validation handshake), then runs the content re-scan once.
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

foreach ($name in 'AZURE_RESOURCE_GROUP', 'AZURE_FUNCTION_APP_NAME', 'EVENT_GRID_SYSTEM_TOPIC_NAME') {
    if (-not [Environment]::GetEnvironmentVariable($name)) { throw "subscribe-blob-events: set $name" }
}
$rg = $env:AZURE_RESOURCE_GROUP
$app = $env:AZURE_FUNCTION_APP_NAME
$template = Join-Path $PSScriptRoot '../modules/blob-events.bicep'
$delay = if ($env:RETRY_DELAY_SECONDS) { [int]$env:RETRY_DELAY_SECONDS } else { 30 }

for ($attempt = 1; ; $attempt++) {
    # Listing the keys also wakes the host; the blobs_extension key appears once the trigger is indexed.
    $key = az functionapp keys list -g $rg -n $app --query 'systemKeys.blobs_extension' -o tsv 2>$null
    if ($LASTEXITCODE -eq 0 -and $key) { break }
    if ($attempt -ge 10) { throw "The blobs_extension key of $app did not appear; is the code deployed and starting?" }
    Write-Host "Waiting for the function host to publish its blobs_extension key ($attempt/10)..."
    Start-Sleep -Seconds $delay
}

# Event Grid validates the webhook while creating the subscription; a starting host can fail it: retry.
for ($attempt = 1; ; $attempt++) {
    az deployment group create --resource-group $rg --name blob-events --template-file $template `
        --parameters functionAppName=$app systemTopicName=$($env:EVENT_GRID_SYSTEM_TOPIC_NAME) --output none
    if ($LASTEXITCODE -eq 0) { break }
    if ($attempt -ge 5) { throw "The Event Grid subscription could not be created after 5 attempts (validation handshake with $app)." }
    Write-Host "Creating the Event Grid subscription failed (validation handshake?); retrying ($attempt/5)..."
    Start-Sleep -Seconds $delay
}
Write-Host "Event Grid subscription ingest-course-content -> $app (IngestCourseContent) is in place."

# Run the re-scan timer function once through the host's admin endpoint for non-HTTP functions (202, runs in the background).
$hostname = az functionapp show -g $rg -n $app --query defaultHostName -o tsv
$master = az functionapp keys list -g $rg -n $app --query masterKey -o tsv
for ($attempt = 1; ; $attempt++) {
    $status = 0
    try {
        $response = Invoke-WebRequest -Method Post -Uri "https://$hostname/admin/functions/RescanCourseContent" -TimeoutSec 30 `
            -Headers @{ 'x-functions-key' = $master } -ContentType 'application/json' -Body '{"input":""}' -SkipHttpErrorCheck -UseBasicParsing
        $status = [int]$response.StatusCode
    }
    catch { $status = 0 }
    if ($status -ge 200 -and $status -lt 300) { Write-Host 'Content re-scan started (RescanCourseContent).'; break }
    if ($attempt -ge 5) { throw "Starting the content re-scan failed (HTTP $status); it runs on its schedule (ContentRescanSchedule) anyway." }
    Start-Sleep -Seconds $delay
}
