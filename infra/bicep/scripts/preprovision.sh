#!/bin/sh
# azd preprovision hook: names the Microsoft Entra administrator of the PostgreSQL server. azd passes the signed-in
# principal's object id (AZURE_PRINCIPAL_ID) to main.parameters.json itself, but not its name, which the
# administrator resource and the migration login need; this stores it in the azd environment once
# (AZURE_PRINCIPAL_NAME). Set it yourself (azd env set AZURE_PRINCIPAL_NAME ...) for a service principal or a group.
set -eu

if [ -n "${AZURE_PRINCIPAL_NAME:-}" ]; then
  echo "preprovision: PostgreSQL Entra administrator: $AZURE_PRINCIPAL_NAME"
  exit 0
fi
name=$(az ad signed-in-user show --query userPrincipalName --output tsv 2>/dev/null || true)
if [ -z "$name" ]; then
  echo "preprovision: could not read the signed-in user's name (az login? a service principal?); run azd env set AZURE_PRINCIPAL_NAME <name> (and AZURE_PRINCIPAL_TYPE ServicePrincipal or Group)." >&2
  exit 1
fi
azd env set AZURE_PRINCIPAL_NAME "$name"
echo "preprovision: PostgreSQL Entra administrator: $name"
