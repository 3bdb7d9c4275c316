# Applies the EF Core migrations to the app database and gives the app's role its rights; idempotent.
# The PowerShell twin of migrate-database.sh (azd runs this one on Windows); see that file for the steps and the
# environment values it reads. Local switch:
#   ./migrate-database.ps1 -Local [-Connection "<Npgsql connection string>"] [-AppRole <existing role>]
[CmdletBinding()]
param(
    [switch] $Local,
    [string] $Connection = $(if ($env:MIGRATE_CONNECTION) { $env:MIGRATE_CONNECTION } else { 'Host=127.0.0.1;Port=54329;Database=courseplatform;Username=postgres;Password=postgres' }),
    [string] $AppRole = $env:APP_DB_ROLE
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$root = (Resolve-Path (Join-Path $PSScriptRoot '../../..')).Path
$workdir = Join-Path ([IO.Path]::GetTempPath()) ("cp-migrate." + [Guid]::NewGuid().ToString('N'))
New-Item -ItemType Directory -Path $workdir | Out-Null
$exe = if ($env:OS -eq 'Windows_NT') { '.exe' } else { '' }
$bundle = if ($env:MIGRATIONS_BUNDLE) { $env:MIGRATIONS_BUNDLE } else { Join-Path $workdir "efbundle$exe" }
$firewallOpen = $false

function Log([string] $message) { Write-Host "migrate-database: $message" }

# Native commands do not throw on a non-zero exit code; this does.
function Invoke-Checked([string] $what, [scriptblock] $command) {
    & $command
    if ($LASTEXITCODE -ne 0) { throw "migrate-database: $what failed (exit code $LASTEXITCODE)" }
}

function Invoke-DevTool([string[]] $arguments) {
    if ($env:DEVTOOL) {
        $parts = $env:DEVTOOL -split ' '
        $rest = @()
        if ($parts.Length -gt 1) { $rest = $parts[1..($parts.Length - 1)] }
        Invoke-Checked 'DevTool' { & $parts[0] @rest @arguments }
    }
    else {
        Invoke-Checked 'DevTool' { dotnet run --project (Join-Path $root 'tools/DevTool') -- @arguments }
    }
}

try {
    if (-not (Test-Path $bundle)) {
        Log 'building the migrations bundle'
        Push-Location $root
        try {
            Invoke-Checked 'dotnet tool restore' { dotnet tool restore | Out-Null }
            Invoke-Checked 'building the migrations bundle' { dotnet ef migrations bundle --project src/Data --output $bundle --force }
        }
        finally { Pop-Location }
    }

    if (-not $Local) {
        foreach ($name in 'AZURE_RESOURCE_GROUP', 'POSTGRES_SERVER_NAME', 'POSTGRES_HOST', 'POSTGRES_DATABASE', 'POSTGRES_ENTRA_ADMIN_NAME') {
            if (-not [Environment]::GetEnvironmentVariable($name)) { throw "migrate-database: set $name (an azd environment value / output of main.bicep)" }
        }

        if ($env:MIGRATE_SKIP_FIREWALL -ne 'true') {
            $ip = if ($env:MIGRATE_CLIENT_IP) { $env:MIGRATE_CLIENT_IP } else { (Invoke-RestMethod -Uri 'https://api.ipify.org' -TimeoutSec 10).ToString().Trim() }
            if ($ip -notmatch '^\d{1,3}(\.\d{1,3}){3}$') { throw "migrate-database: could not tell this machine's public IPv4 address ('$ip'); set MIGRATE_CLIENT_IP" }
            Log "opening the firewall of $($env:POSTGRES_SERVER_NAME) for $ip (rule azd-migrate, removed when this script ends)"
            # Marked before the call: a create that fails half-way must still be cleaned up.
            $firewallOpen = $true
            Invoke-Checked 'opening the firewall' {
                az postgres flexible-server firewall-rule create --resource-group $env:AZURE_RESOURCE_GROUP --name $env:POSTGRES_SERVER_NAME `
                    --rule-name azd-migrate --start-ip-address $ip --end-ip-address $ip --output none
            }
        }

        $token = az account get-access-token --resource-type oss-rdbms --query accessToken --output tsv
        if ($LASTEXITCODE -ne 0 -or -not $token) { throw 'migrate-database: could not get an access token for Azure Database for PostgreSQL (az login?)' }
        $port = if ($env:POSTGRES_PORT) { $env:POSTGRES_PORT } else { '5432' }
        $sslMode = if ($env:POSTGRES_SSL_MODE) { $env:POSTGRES_SSL_MODE } else { 'VerifyFull' }
        $Connection = "Host=$($env:POSTGRES_HOST);Port=$port;Database=$($env:POSTGRES_DATABASE);Username=$($env:POSTGRES_ENTRA_ADMIN_NAME);Password=$token;SSL Mode=$sslMode;Timeout=30"
        if ($env:POSTGRES_APP_ROLE) { $AppRole = $env:POSTGRES_APP_ROLE }
    }

    Log 'applying migrations'
    Invoke-Checked 'the migrations bundle' { & $bundle --connection $Connection }

    if ($AppRole) {
        if (-not $Local -and $env:AZURE_MANAGED_IDENTITY_PRINCIPAL_ID) {
            Invoke-DevTool @('app-role', $AppRole, '--entra-object-id', $env:AZURE_MANAGED_IDENTITY_PRINCIPAL_ID, '--connection', $Connection)
        }
        else {
            Invoke-DevTool @('app-role', $AppRole, '--connection', $Connection)
        }
    }

    if (-not $Local -and $env:AZURE_FUNCTION_APP_NAME) {
        # Npgsql reads the PostgreSQL enum types once per data source: restart so no instance keeps the old ones.
        Log "restarting $($env:AZURE_FUNCTION_APP_NAME)"
        Invoke-Checked 'restarting the function app' { az functionapp restart --resource-group $env:AZURE_RESOURCE_GROUP --name $env:AZURE_FUNCTION_APP_NAME --output none }
    }
    Log 'done'
}
finally {
    # Runs on success and on failure: close what this run opened.
    if ($firewallOpen) {
        Log 'closing the firewall rule azd-migrate'
        az postgres flexible-server firewall-rule delete --resource-group $env:AZURE_RESOURCE_GROUP --name $env:POSTGRES_SERVER_NAME `
            --rule-name azd-migrate --yes --output none
        if ($LASTEXITCODE -ne 0) { Write-Warning "could not delete firewall rule azd-migrate of $($env:POSTGRES_SERVER_NAME); delete it by hand" }
    }
    Remove-Item -Recurse -Force $workdir -ErrorAction SilentlyContinue
}
