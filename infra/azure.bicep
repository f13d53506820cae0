// One environment of LGD Support: the Node server on Linux App Service under a user-assigned
// managed identity that is also the bot's identity, the Azure Bot with its Teams channel,
// MongoDB (Cosmos DB for MongoDB vCore, or an existing one), Key Vault for the secrets, and
// Application Insights. Deploy with infra/deploy.sh; docs/deploy.md walks through it.
// Outputs are named after the env variables (infra/env/.env.<env>) they fill.
targetScope = 'resourceGroup'

@description('Prefix of every resource name: 3-18 lower-case letters, digits and hyphens, e.g. lgdsupport-dev (RESOURCE_BASE_NAME).')
@minLength(3)
@maxLength(18)
param resourceBaseName string

@description('Azure region of the resources (the Azure Bot itself is global). Default: the resource group\'s region.')
@minLength(3)
@maxLength(32)
param location string = resourceGroup().location

@description('App Service plan size (WEB_APP_SKU). B1 serves one team; Free and Shared plans cannot run always-on.')
@allowed([
  'B1'
  'B2'
  'B3'
  'S1'
  'S2'
  'S3'
  'P0v3'
  'P1v3'
  'P2v3'
])
param webAppSku string = 'B1'

@description('Azure Bot pricing tier (BOT_SKU): F0 is free for Teams, a standard channel.')
@allowed([
  'F0'
  'S1'
])
param botSku string = 'F0'

@description('Display name of the Azure Bot resource (Teams shows the app manifest\'s name).')
@minLength(1)
@maxLength(42)
param botDisplayName string = 'LGD Support'

@description('LGD Web Access base URL, e.g. https://lgd.example/ServiceDesk.WebAccess (LGD_URL).')
@minLength(8)
@maxLength(2048)
param lgdUrl string

@description('The LGD service account the app writes to LGD as (LGD_USERNAME).')
@minLength(1)
@maxLength(256)
param lgdUsername string

@secure()
@description('The service account\'s password (SECRET_LGD_PASSWORD); kept in Key Vault, read by the app as LGD_PASSWORD.')
@minLength(1)
@maxLength(256)
param lgdPassword string

@description('Comma list of the LGD support groups the team works (LGD_GROUPS).')
@minLength(1)
@maxLength(1024)
param lgdGroups string = 'LGSS-IT-Digital'

@description('JSON overriding LGD class, action and attribute names (LGD_MAPPING); empty: LANDesk\'s own names.')
@maxLength(8192)
param lgdMapping string = ''

@description('true: the app logs the writes it would make to LGD and makes none (LGD_DRY_RUN); for a first look at a real LGD.')
@allowed([
  'true'
  'false'
])
param lgdDryRun string = 'false'

@description('Comma list of the e-mail addresses / UPNs of the lead developers and scrum masters, who may always triage (LEADS).')
@maxLength(4096)
param leads string = ''

@description('IANA time zone of working days, the rota and the dates on cards (TEAM_TIME_ZONE).')
@minLength(1)
@maxLength(64)
param teamTimeZone string = 'Europe/London'

@description('How much the app logs (LOG_LEVEL).')
@allowed([
  'fatal'
  'error'
  'warn'
  'info'
  'debug'
  'trace'
])
param logLevel string = 'info'

@secure()
@description('Connection string of an existing MongoDB, e.g. Atlas (SECRET_MONGODB_URI). Empty: an Azure Cosmos DB for MongoDB (vCore) cluster is created here.')
@maxLength(2048)
param existingMongoDbUri string = ''

@description('MongoDB database name (MONGODB_DB).')
@minLength(1)
@maxLength(63)
param mongoDbName string = 'lgd-support'

@description('Administrator of the Cosmos DB for MongoDB (vCore) cluster created here (MONGODB_ADMIN_USER); unused with an existing MongoDB.')
@minLength(1)
@maxLength(63)
param mongoAdminUser string = 'lgdsupport'

@secure()
@description('That administrator\'s password, 8-128 characters (SECRET_MONGODB_ADMIN_PASSWORD); required unless SECRET_MONGODB_URI is set.')
@maxLength(128)
param mongoAdminPassword string = ''

@description('Compute tier of the Cosmos DB for MongoDB (vCore) cluster created here (MONGODB_TIER). Free: one a subscription.')
@allowed([
  'Free'
  'M10'
  'M20'
  'M25'
  'M30'
  'M40'
])
param mongoTier string = 'M10'

@description('Storage of the cluster created here, in GB (MONGODB_STORAGE_GB).')
@allowed([
  32
  64
  128
  256
  512
])
param mongoStorageGb int = 32

@description('Client id of the Entra app registration for tab SSO made by infra/create-sso-app.sh (AAD_APP_CLIENT_ID); the app reads it as TAB_SSO_CLIENT_ID and starts only with it (production checks every token). Empty on the first deployment, before that app exists: infra/deploy.sh then deploys no code.')
@maxLength(36)
param tabSsoClientId string = ''

@description('Azure DevOps organisation URL for project backlog items, e.g. https://dev.azure.com/contoso (AZURE_DEVOPS_ORG_URL); empty: the built-in backlog.')
@maxLength(2048)
param azureDevOpsOrgUrl string = ''

@description('Azure DevOps project whose Boards take project work (AZURE_DEVOPS_PROJECT).')
@maxLength(256)
param azureDevOpsProject string = ''

@secure()
@description('Azure DevOps personal access token with Work Items (Read & write) (SECRET_AZURE_DEVOPS_TOKEN); kept in Key Vault. Empty: the built-in backlog.')
@maxLength(1024)
param azureDevOpsToken string = ''

var name = toLower(resourceBaseName)
var suffix = take(uniqueString(resourceGroup().id, name), 6)
var webAppName = '${name}-${suffix}'
var useAzureDevOps = !empty(azureDevOpsToken)

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${name}-id'
  location: location
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    name: name
    location: location
  }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: take('${replace(name, '-', '')}kv${suffix}', 24)
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    // Access policies, not RBAC: a deployer with Contributor can grant them (role assignments need Owner).
    enableRbacAuthorization: false
    enableSoftDelete: true
    softDeleteRetentionInDays: 30
    accessPolicies: [
      {
        tenantId: identity.properties.tenantId
        objectId: identity.properties.principalId
        permissions: {
          secrets: [
            'get'
          ]
        }
      }
    ]
  }
}

resource lgdPasswordSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'lgd-password'
  properties: {
    value: lgdPassword
  }
}

resource azureDevOpsTokenSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (useAzureDevOps) {
  parent: vault
  name: 'azure-devops-token'
  properties: {
    value: azureDevOpsToken
  }
}

module mongo 'modules/mongo-db.bicep' = {
  name: 'mongo'
  params: {
    clusterName: '${name}-mongo-${suffix}'
    location: location
    existingUri: existingMongoDbUri
    adminUser: mongoAdminUser
    adminPassword: mongoAdminPassword
    tier: mongoTier
    storageGb: mongoStorageGb
    keyVaultName: vault.name
  }
}

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${name}-plan'
  location: location
  kind: 'linux'
  sku: {
    name: webAppSku
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2023-12-01' = {
  name: webAppName
  location: location
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      linuxFxVersion: 'NODE|20-lts'
      // package.json's start script: plain Node on dist/ (built at deployment by npm run build, see
      // SCM_DO_BUILD_DURING_DEPLOYMENT; built at start instead if the sources differ from the build).
      appCommandLine: 'npm start'
      alwaysOn: true
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      http20Enabled: true
      healthCheckPath: '/healthz'
    }
  }
}

// Deployments authenticate with Entra ID (az webapp deploy); no publishing passwords.
resource scmBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2023-12-01' = {
  parent: site
  name: 'scm'
  properties: {
    allow: false
  }
}

resource ftpBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2023-12-01' = {
  parent: site
  name: 'ftp'
  properties: {
    allow: false
  }
}

// The variables bot/config.ts reads, then the platform's own settings.
var appSettings = {
  MicrosoftAppType: 'UserAssignedMsi'
  MicrosoftAppId: identity.properties.clientId
  MicrosoftAppTenantId: identity.properties.tenantId
  LGD_URL: lgdUrl
  LGD_USERNAME: lgdUsername
  LGD_PASSWORD: '@Microsoft.KeyVault(SecretUri=${lgdPasswordSecret.properties.secretUri})'
  LGD_GROUPS: lgdGroups
  LGD_MAPPING: lgdMapping
  LGD_DRY_RUN: lgdDryRun
  MONGODB_URI: '@Microsoft.KeyVault(SecretUri=${mongo.outputs.secretUri})'
  MONGODB_DB: mongoDbName
  LEADS: leads
  TEAM_TIME_ZONE: teamTimeZone
  LOG_LEVEL: logLevel
  TAB_SSO_CLIENT_ID: tabSsoClientId
  // The host Teams reaches the app at: the tab's SSO resource is api://<BOT_DOMAIN>/<TAB_SSO_CLIENT_ID>, as in the manifest.
  BOT_DOMAIN: site.properties.defaultHostName
  APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.connectionString
  // The deployment runs npm install (with devDependencies: NODE_ENV is not set here, and TypeScript
  // builds dist/) and npm run build, so the first start runs the built server at once.
  SCM_DO_BUILD_DURING_DEPLOYMENT: 'true'
}

var azureDevOpsSettings = useAzureDevOps
  ? {
      AZURE_DEVOPS_ORG_URL: azureDevOpsOrgUrl
      AZURE_DEVOPS_PROJECT: azureDevOpsProject
      AZURE_DEVOPS_TOKEN: '@Microsoft.KeyVault(SecretUri=${azureDevOpsTokenSecret.properties.secretUri})'
    }
  : {}

resource settings 'Microsoft.Web/sites/config@2023-12-01' = {
  parent: site
  name: 'appsettings'
  properties: union(appSettings, azureDevOpsSettings)
}

module bot 'modules/azure-bot.bicep' = {
  name: 'bot'
  params: {
    name: '${name}-bot-${suffix}'
    displayName: botDisplayName
    sku: botSku
    endpoint: 'https://${site.properties.defaultHostName}/api/messages'
    identityClientId: identity.properties.clientId
    identityResourceId: identity.id
    tenantId: identity.properties.tenantId
  }
}

@description('The bot\'s app id: the managed identity\'s client id.')
output BOT_ID string = identity.properties.clientId
@description('Host name of the web app, for the manifest\'s URLs and the SSO app\'s identifier URI.')
output BOT_DOMAIN string = site.properties.defaultHostName
output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = site.id
output BOT_AZURE_APP_SERVICE_NAME string = site.name
output AZURE_KEY_VAULT_NAME string = vault.name
output TEAMS_APP_TENANT_ID string = identity.properties.tenantId
