// MongoDB for the app: an Azure Cosmos DB for MongoDB (vCore) cluster, or an existing MongoDB's
// connection string. Either way the connection string goes into Key Vault and only the secret's
// URI leaves this module (deployment outputs are readable by anyone who can read the deployment).

@description('Name of the cluster when one is created: 3-40 lower-case letters, digits and hyphens.')
@minLength(3)
@maxLength(40)
param clusterName string

@description('Azure region.')
@minLength(3)
@maxLength(32)
param location string

@secure()
@description('Connection string of an existing MongoDB; empty: create the cluster.')
@maxLength(2048)
param existingUri string

@description('Administrator user name of the cluster created here.')
@minLength(1)
@maxLength(63)
param adminUser string

@secure()
@description('Administrator password of the cluster created here.')
@maxLength(128)
param adminPassword string

@description('Compute tier of the cluster created here.')
@allowed([
  'Free'
  'M10'
  'M20'
  'M25'
  'M30'
  'M40'
])
param tier string

@description('Storage of the cluster created here, in GB.')
@allowed([
  32
  64
  128
  256
  512
])
param storageGb int

@description('Key Vault that keeps the connection string.')
@minLength(3)
@maxLength(24)
param keyVaultName string

var createCluster = empty(existingUri)

resource cluster 'Microsoft.DocumentDB/mongoClusters@2024-07-01' = if (createCluster) {
  name: clusterName
  location: location
  properties: {
    administrator: {
      userName: adminUser
      password: adminPassword
    }
    serverVersion: '7.0'
    compute: {
      tier: tier
    }
    storage: {
      sizeGb: storageGb
    }
    sharding: {
      shardCount: 1
    }
    highAvailability: {
      targetMode: 'Disabled'
    }
    publicNetworkAccess: 'Enabled'
  }
}

// 0.0.0.0-0.0.0.0 is the firewall's "Azure services" rule: the App Service's outbound addresses.
resource allowAzure 'Microsoft.DocumentDB/mongoClusters/firewallRules@2024-07-01' = if (createCluster) {
  parent: cluster
  name: 'AllowAllAzureServicesAndResourcesWithinAzureIps'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
}

// The cluster's own connection string names the host; the credentials are put in here.
var clusterHostAndOptions = createCluster ? replace(last(split(cluster!.properties.connectionString, '@')), 'mongodb+srv://', '') : ''
var uri = createCluster ? 'mongodb+srv://${uriComponent(adminUser)}:${uriComponent(adminPassword)}@${clusterHostAndOptions}' : existingUri

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource uriSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'mongodb-uri'
  properties: {
    value: uri
  }
}

@description('Key Vault URI of the secret holding MONGODB_URI (versionless, so a new version is picked up).')
output secretUri string = uriSecret.properties.secretUri
