export { startTestServer, addTenant, type TestServer, type TestServerOptions, type TenantKeys } from './test-server.js'
export { aStoredEvent, aWireEvent, anEvent, anEnvelope, ingestBody, type EventOverrides } from './fixtures.js'
