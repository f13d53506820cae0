#!/usr/bin/env bash
# Creates (or updates) the Entra app registration that the Teams tab's single sign-on needs: a
# managed identity cannot expose a scope. It exposes `access_as_user` under the identifier URI
# api://<BOT_DOMAIN>/<client id>, pre-authorises the Teams clients (desktop/mobile and web), and
# writes its client id to AAD_APP_CLIENT_ID in infra/env/.env.<env> (the manifest's
# webApplicationInfo, and the app setting TAB_SSO_CLIENT_ID on the next infra/deploy.sh).
# Usage: infra/create-sso-app.sh <env>      Needs: Azure CLI, signed in as someone who may
# register applications in the tenant (any user by default, else Application Developer).
set -euo pipefail

env_name="${1:-}"
if [ -z "$env_name" ]; then
  echo "usage: infra/create-sso-app.sh <env>   e.g. infra/create-sso-app.sh dev" >&2
  exit 2
fi
cd "$(dirname "$0")/.."

value() { npx --no-install tsx infra/env-values.ts get "$env_name" "$1"; }
domain="$(value BOT_DOMAIN)"
if [ -z "$domain" ]; then
  echo "BOT_DOMAIN is empty in infra/env/.env.$env_name: run infra/deploy.sh $env_name first (for local, set the tunnel's host)." >&2
  exit 1
fi
client_id="$(value AAD_APP_CLIENT_ID)"

teams_desktop_mobile="1fec8e78-bce4-4aaf-ab1b-5451cc387264"
teams_web="5e3ce6c0-2b1f-4285-8d4b-75ee78787346"

if [ -z "$client_id" ]; then
  client_id="$(az ad app create --display-name "LGD Support tab ($env_name)" --sign-in-audience AzureADMyOrg --query appId --output tsv)"
  echo "== created app registration $client_id"
else
  echo "== updating app registration $client_id"
fi
object_id="$(az ad app show --id "$client_id" --query id --output tsv)"
scope_id="$(az ad app show --id "$client_id" --query "api.oauth2PermissionScopes[?value=='access_as_user'].id | [0]" --output tsv)"
if [ -z "$scope_id" ]; then scope_id="$(node -e 'console.log(crypto.randomUUID())')"; fi

az ad app update --id "$client_id" --identifier-uris "api://$domain/$client_id"

scope="{\"id\":\"$scope_id\",\"value\":\"access_as_user\",\"type\":\"User\",\"isEnabled\":true,
  \"adminConsentDisplayName\":\"Use LGD Support as the signed-in user\",
  \"adminConsentDescription\":\"Lets Teams call the LGD Support tab's API as the signed-in user.\",
  \"userConsentDisplayName\":\"Use LGD Support as you\",
  \"userConsentDescription\":\"Lets Teams call the LGD Support tab's API as you.\"}"
graph="https://graph.microsoft.com/v1.0/applications/$object_id"
# The scope must exist before a client can be pre-authorised for it: two requests.
az rest --method PATCH --uri "$graph" --headers "Content-Type=application/json" \
  --body "{\"api\":{\"requestedAccessTokenVersion\":2,\"oauth2PermissionScopes\":[$scope]}}"
az rest --method PATCH --uri "$graph" --headers "Content-Type=application/json" \
  --body "{\"api\":{\"requestedAccessTokenVersion\":2,\"oauth2PermissionScopes\":[$scope],\"preAuthorizedApplications\":[
    {\"appId\":\"$teams_desktop_mobile\",\"delegatedPermissionIds\":[\"$scope_id\"]},
    {\"appId\":\"$teams_web\",\"delegatedPermissionIds\":[\"$scope_id\"]}]}}"

# A service principal makes the app usable in the tenant (tokens can be issued for it).
if ! az ad sp show --id "$client_id" --output none 2>/dev/null; then
  az ad sp create --id "$client_id" --output none
fi

npx --no-install tsx infra/env-values.ts set "$env_name" "AAD_APP_CLIENT_ID=$client_id"
echo "$client_id"
