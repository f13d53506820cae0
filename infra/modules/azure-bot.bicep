// The Azure Bot: its identity is the web app's user-assigned managed identity (no secret), and
// it talks to Teams through the Microsoft Teams channel.

@description('Bot handle, globally unique.')
@minLength(2)
@maxLength(64)
param name string

@description('Display name of the bot resource.')
@minLength(1)
@maxLength(42)
param displayName string

@description('Pricing tier: F0 is free for Teams, a standard channel.')
@allowed([
  'F0'
  'S1'
])
param sku string

@description('The messaging endpoint: https://<web app host>/api/messages.')
@minLength(8)
@maxLength(2048)
param endpoint string

@description('Client id of the user-assigned managed identity (the bot\'s app id).')
@minLength(36)
@maxLength(36)
param identityClientId string

@description('Resource id of that managed identity.')
@minLength(1)
@maxLength(1024)
param identityResourceId string

@description('Tenant of that managed identity.')
@minLength(36)
@maxLength(36)
param tenantId string

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: name
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: sku
  }
  properties: {
    displayName: displayName
    endpoint: endpoint
    msaAppType: 'UserAssignedMSI'
    msaAppId: identityClientId
    msaAppMSIResourceId: identityResourceId
    msaAppTenantId: tenantId
  }
}

resource teams 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
  }
}
