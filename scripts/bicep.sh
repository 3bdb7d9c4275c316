#!/usr/bin/env bash
# Compiles and lints the deployment templates in infra/bicep with the Bicep CLI from the NuGet
# package Azure.Bicep.CommandLine.linux-x64 (version in Directory.Packages.props, restored through
# tools/Bicep/Bicep.csproj; offline once the package is in the NuGet cache). Fails on any error and
# on any warning. Compiled ARM JSON goes to .local/bicep/ (git-ignored).
#   scripts/bicep.sh            build + lint
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "scripts/bicep.sh uses the linux-x64 Bicep CLI package; on $(uname -s)-$(uname -m) use 'az bicep' or the Bicep CLI of your platform." >&2
  exit 2
fi

if ! restore_log=$(dotnet restore tools/Bicep/Bicep.csproj -nologo 2>&1); then
  printf '%s\n' "$restore_log" >&2
  echo "Restoring the Bicep CLI package failed." >&2
  exit 1
fi
package_dir=$(dotnet msbuild tools/Bicep/Bicep.csproj -nologo -getProperty:PkgAzure_Bicep_CommandLine_linux-x64)
bicep="$package_dir/tools/bicep"
[ -f "$bicep" ] || { echo "Bicep CLI not found at $bicep" >&2; exit 1; }
[ -x "$bicep" ] || chmod u+x "$bicep"

out=.local/bicep
mkdir -p "$out"
problems=0
log="$out/diagnostics.txt"
: >"$log"

run() {
  # Runs one Bicep command; any non-zero exit or any Warning/Error diagnostic counts as a problem.
  local output status=0
  output=$("$bicep" "$@" 2>&1) || status=$?
  printf '%s\n' "$output" >>"$log"
  if [ "$status" -ne 0 ] || grep -Eq ' : (Warning|Error) ' <<<"$output"; then
    printf 'bicep %s\n%s\n' "$*" "$output" >&2
    problems=$((problems + 1))
  fi
}

echo "$("$bicep" --version)"
# example.bicepparam reads its secrets from the environment; compile it with placeholders.
export GOOGLE_CLIENT_SECRET="${GOOGLE_CLIENT_SECRET:-placeholder-google-client-secret}"
export AUTH_SIGNING_KEY="${AUTH_SIGNING_KEY:-cGxhY2Vob2xkZXItc2lnbmluZy1rZXktb2YtNDgtYnl0ZXMtZm9yLWNp}"
export POSTGRES_ADMIN_PASSWORD="${POSTGRES_ADMIN_PASSWORD:-placeholder-Password-1}"
export PG_ADMIN_OBJECT_ID="${PG_ADMIN_OBJECT_ID:-00000000-0000-0000-0000-000000000001}"
export PG_ADMIN_NAME="${PG_ADMIN_NAME:-deployer@example.com}"
run build infra/bicep/main.bicep --outdir "$out"
run build-params infra/bicep/example.bicepparam --outfile "$out/example.parameters.json"
run build infra/bicep/modules/blob-events.bicep --outdir "$out"
for file in infra/bicep/main.bicep infra/bicep/modules/*.bicep infra/bicep/example.bicepparam; do
  run lint "$file"
done

if [ "$problems" -ne 0 ]; then
  echo "Bicep: $problems command(s) reported errors or warnings." >&2
  exit 1
fi
echo "Bicep: build and lint clean ($out/main.json)."
