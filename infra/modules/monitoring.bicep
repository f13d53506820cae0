// Application Insights on a Log Analytics workspace (workspace-based: classic resources are retired).

@description('Prefix of the resource names.')
@minLength(3)
@maxLength(18)
param name string

@description('Azure region.')
@minLength(3)
@maxLength(32)
param location string

@description('Days Log Analytics keeps the app\'s telemetry.')
@minValue(30)
@maxValue(730)
param retentionInDays int = 30

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${name}-logs'
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${name}-ai'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    IngestionMode: 'LogAnalytics'
  }
}

@description('Becomes the app setting APPLICATIONINSIGHTS_CONNECTION_STRING.')
output connectionString string = appInsights.properties.ConnectionString
