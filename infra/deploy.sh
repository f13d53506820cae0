#!/usr/bin/env bash
# Deploys one environment of LGD Support: infra/azure.bicep into its resource group, the outputs
# (BOT_ID, BOT_DOMAIN, ...) back into infra/env/.env.<env>, then, once infra/create-sso-app.sh has
# made the tab's SSO app (AAD_APP_CLIENT_ID), the app's committed code to the web app (App Service
# installs it, builds dist/ with `npm run build`, and runs `npm start`).
# docs/deploy.md walks through it.
# Usage: infra/deploy.sh <env>      e.g. infra/deploy.sh dev
# Needs: Azure CLI (az login done), Node 20 with `npm ci` run in this checkout, git.
set -euo pipefail

env_name="${1:-}"
if [ -z "$env_name" ]; then
  echo "usage: infra/deploy.sh <env>   (reads infra/env/.env.<env> and .env.<env>.user)" >&2
  exit 2
fi
cd "$(dirname "$0")/.."
if ! command -v az >/dev/null 2>&1; then
  echo "The Azure CLI (az) is not installed: see docs/deploy.md, Prerequisites." >&2
  exit 1
fi

value() { npx --no-install tsx infra/env-values.ts get "$env_name" "$1"; }
need() {
  local v
  v="$(value "$1")"
  if [ -z "$v" ]; then
    echo "$1 is empty in infra/env/.env.$env_name: docs/deploy.md says where it comes from." >&2
    exit 1
  fi
  printf '%s' "$v"
}

subscription="$(need AZURE_SUBSCRIPTION_ID)"
group="$(need AZURE_RESOURCE_GROUP)"
location="$(need AZURE_LOCATION)"

mkdir -p infra/build
params="infra/build/azure.parameters.$env_name.json"
trap 'rm -f "$params"' EXIT
# Fails here, before anything is created, naming any variable that is missing or empty.
npx --no-install tsx infra/fill-parameters.ts --env "$env_name" --out "$params"

echo "== subscription $subscription, resource group $group ($location)"
az account set --subscription "$subscription"
az group create --name "$group" --location "$location" --output none

echo "== deploying infra/azure.bicep (the first time takes 15-30 minutes: the MongoDB cluster)"
az deployment group create \
  --resource-group "$group" \
  --name "lgd-support-$env_name" \
  --template-file infra/azure.bicep \
  --parameters "@$params" \
  --query properties.outputs \
  --output json >"infra/build/outputs.$env_name.json"
npx --no-install tsx infra/env-values.ts set-outputs "$env_name" <"infra/build/outputs.$env_name.json"

# In production the app starts only with its whole identity, the tab's SSO app included (every door
# checks tokens): until create-sso-app.sh has made it, there is no code to deploy that could start.
if [ -z "$(value AAD_APP_CLIENT_ID)" ]; then
  echo "== infrastructure ready; the code is not deployed yet: the app needs the tab's SSO app (TAB_SSO_CLIENT_ID) to start."
  echo "Next: infra/create-sso-app.sh $env_name, then infra/deploy.sh $env_name again (it sets TAB_SSO_CLIENT_ID and deploys the code)."
  exit 0
fi

echo "== deploying the app's code (the committed HEAD: $(git rev-parse --short HEAD))"
if [ -n "$(git status --porcelain -- bot package.json package-lock.json)" ]; then
  echo "   note: bot/ or package files have uncommitted changes; they are not deployed." >&2
fi
app="$(need BOT_AZURE_APP_SERVICE_NAME)"
zip="infra/build/app.$env_name.zip"
git archive --format=zip --output "$zip" HEAD bot tab package.json package-lock.json tsconfig.json tsconfig.build.json
az webapp deploy --resource-group "$group" --name "$app" --src-path "$zip" --type zip --output none

domain="$(need BOT_DOMAIN)"
echo "== done: https://$domain/healthz should answer within a few minutes"
echo "Next: npm run package:app -- --env $env_name, and upload appPackage/build/appPackage.$env_name.zip to Teams."
