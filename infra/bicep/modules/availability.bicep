// Application Insights availability (standard) test of GET /api/health from several Azure regions:
// an alert-ready signal that the app answers and reaches its database and its content container.

@description('Location of the resources.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Name of the Application Insights component the results go to.')
param applicationInsightsName string

@description('The health URL to probe, e.g. https://<app>.azurewebsites.net/api/health.')
param healthUrl string

@description('Seconds between probes from each location (300, 600 or 900).')
@allowed([300, 600, 900])
param frequency int = 300

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource healthTest 'Microsoft.Insights/webtests@2022-06-15' = {
  name: 'health-${applicationInsightsName}'
  location: location
  // The hidden-link tag is how the portal ties a web test to its Application Insights component.
  tags: union(tags, {
    'hidden-link:${applicationInsights.id}': 'Resource'
  })
  kind: 'standard'
  properties: {
    SyntheticMonitorId: 'health-${applicationInsightsName}'
    Name: 'GET /api/health'
    Kind: 'standard'
    Enabled: true
    Frequency: frequency
    Timeout: 30
    RetryEnabled: true
    // Five probe regions spread over the Americas, Europe and Asia (Microsoft's location ids).
    Locations: [
      { Id: 'us-va-ash-azr' }
      { Id: 'us-ca-sjc-azr' }
      { Id: 'emea-nl-ams-azr' }
      { Id: 'emea-gb-db3-azr' }
      { Id: 'apac-sg-sin-azr' }
    ]
    Request: {
      RequestUrl: healthUrl
      HttpVerb: 'GET'
      ParseDependentRequests: false
    }
    ValidationRules: {
      ExpectedHttpStatusCode: 200
      SSLCheck: true
      SSLCertRemainingLifetimeCheck: 7
    }
  }
}

output webTestName string = healthTest.name
