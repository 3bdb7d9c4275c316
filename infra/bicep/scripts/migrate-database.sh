#!/bin/sh
# Applies the EF Core migrations to the app database and gives the app's role its rights; idempotent (no new
# migration: the bundle reports the database up to date, the grants are re-applied unchanged).
#
#   azd postprovision hook (azure.yaml), Azure:
#     1. builds the migrations bundle (dotnet ef migrations bundle),
#     2. opens the server's firewall for this machine's public address only (rule "azd-migrate"),
#     3. runs the bundle as the server's Microsoft Entra administrator (the signed-in az user, with an access token
#        as the password),
#     4. creates the function app identity's PostgreSQL role if needed and grants it DML rights
#        (DevTool app-role),
#     5. closes the firewall again, also when a step failed (trap), and restarts the function app so no instance
#        keeps the enum types it read before the migration.
#   --local: the same against a local database (no firewall, no restart):
#     migrate-database.sh --local [--connection "<Npgsql connection string>"] [--app-role <existing role>]
#
# Azure mode reads the azd environment values: AZURE_RESOURCE_GROUP, POSTGRES_SERVER_NAME, POSTGRES_HOST,
# POSTGRES_DATABASE, POSTGRES_ENTRA_ADMIN_NAME, POSTGRES_APP_ROLE, AZURE_MANAGED_IDENTITY_PRINCIPAL_ID,
# AZURE_FUNCTION_APP_NAME (all outputs of main.bicep). Optional: MIGRATE_CLIENT_IP (skip the address lookup),
# MIGRATE_SKIP_FIREWALL=true (the runner reaches the server privately), POSTGRES_PORT (5432), POSTGRES_SSL_MODE
# (VerifyFull). MIGRATIONS_BUNDLE: where the bundle is kept; an existing file there is used as it is.
# DEVTOOL: how to run tools/DevTool (default: dotnet run --project tools/DevTool --).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)

mode=azure
connection=${MIGRATE_CONNECTION:-"Host=127.0.0.1;Port=54329;Database=courseplatform;Username=postgres;Password=postgres"}
app_role=${APP_DB_ROLE:-}
while [ $# -gt 0 ]; do
  case "$1" in
    --local) mode=local ;;
    --connection) connection=$2; shift ;;
    --app-role) app_role=$2; shift ;;
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    *) echo "Unknown argument '$1' (see --help)." >&2; exit 64 ;;
  esac
  shift
done

log() { echo "migrate-database: $*"; }

workdir=$(mktemp -d "${TMPDIR:-/tmp}/cp-migrate.XXXXXX")
bundle=${MIGRATIONS_BUNDLE:-"$workdir/efbundle"}
firewall_open=

# Runs on every exit, success or failure: close what this run opened, remove the temporary files.
cleanup() {
  status=$?
  trap - EXIT INT TERM
  if [ -n "$firewall_open" ]; then
    log "closing the firewall rule azd-migrate"
    az postgres flexible-server firewall-rule delete --resource-group "$AZURE_RESOURCE_GROUP" --name "$POSTGRES_SERVER_NAME" \
      --rule-name azd-migrate --yes --output none || { echo "migrate-database: could not delete firewall rule azd-migrate of $POSTGRES_SERVER_NAME; delete it by hand" >&2; status=1; }
  fi
  rm -rf "$workdir"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

devtool() {
  if [ -n "${DEVTOOL:-}" ]; then
    # shellcheck disable=SC2086 # DEVTOOL is a command line, e.g. "dotnet /path/CoursePlatform.DevTool.dll"
    $DEVTOOL "$@"
  else
    dotnet run --project "$root/tools/DevTool" -- "$@"
  fi
}

if [ ! -f "$bundle" ]; then
  log "building the migrations bundle"
  (cd "$root" && dotnet tool restore >/dev/null && dotnet ef migrations bundle --project src/Data --output "$bundle" --force) \
    > "$workdir/bundle.log" 2>&1 || { cat "$workdir/bundle.log" >&2; echo "migrate-database: building the migrations bundle failed" >&2; exit 1; }
fi

if [ "$mode" = azure ]; then
  : "${AZURE_RESOURCE_GROUP:?set AZURE_RESOURCE_GROUP (azd sets it)}"
  : "${POSTGRES_SERVER_NAME:?set POSTGRES_SERVER_NAME (an output of main.bicep)}"
  : "${POSTGRES_HOST:?set POSTGRES_HOST}"
  : "${POSTGRES_DATABASE:?set POSTGRES_DATABASE}"
  : "${POSTGRES_ENTRA_ADMIN_NAME:?set POSTGRES_ENTRA_ADMIN_NAME (the Entra administrator, an output of main.bicep)}"

  if [ "${MIGRATE_SKIP_FIREWALL:-false}" != true ]; then
    ip=${MIGRATE_CLIENT_IP:-$(curl -fsS --max-time 10 https://api.ipify.org || true)}
    case "$ip" in
      *[!0-9.]*|'') echo "migrate-database: could not tell this machine's public IPv4 address ('$ip'); set MIGRATE_CLIENT_IP" >&2; exit 1 ;;
    esac
    log "opening the firewall of $POSTGRES_SERVER_NAME for $ip (rule azd-migrate, removed when this script ends)"
    # Marked before the call: a create that fails half-way must still be cleaned up.
    firewall_open=1
    az postgres flexible-server firewall-rule create --resource-group "$AZURE_RESOURCE_GROUP" --name "$POSTGRES_SERVER_NAME" \
      --rule-name azd-migrate --start-ip-address "$ip" --end-ip-address "$ip" --output none
  fi

  token=$(az account get-access-token --resource-type oss-rdbms --query accessToken --output tsv)
  connection="Host=$POSTGRES_HOST;Port=${POSTGRES_PORT:-5432};Database=$POSTGRES_DATABASE;Username=$POSTGRES_ENTRA_ADMIN_NAME;Password=$token;SSL Mode=${POSTGRES_SSL_MODE:-VerifyFull};Timeout=30"
  app_role=${POSTGRES_APP_ROLE:-$app_role}
fi

log "applying migrations"
"$bundle" --connection "$connection"

if [ -n "$app_role" ]; then
  if [ "$mode" = azure ] && [ -n "${AZURE_MANAGED_IDENTITY_PRINCIPAL_ID:-}" ]; then
    devtool app-role "$app_role" --entra-object-id "$AZURE_MANAGED_IDENTITY_PRINCIPAL_ID" --connection "$connection"
  else
    devtool app-role "$app_role" --connection "$connection"
  fi
fi

if [ "$mode" = azure ] && [ -n "${AZURE_FUNCTION_APP_NAME:-}" ]; then
  # Npgsql reads the PostgreSQL enum types once per data source: an instance that connected before the migration
  # would keep failing on them. (On a first provision there is no code yet; the restart is harmless.)
  log "restarting $AZURE_FUNCTION_APP_NAME"
  az functionapp restart --resource-group "$AZURE_RESOURCE_GROUP" --name "$AZURE_FUNCTION_APP_NAME" --output none
fi

log "done"
