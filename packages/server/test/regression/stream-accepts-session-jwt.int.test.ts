import { afterEach, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { silentLogger } from '../../src/logger.js'
import { LocalWsBroadcaster } from '../../src/realtime/local-ws-broadcaster.js'
import { anEvent, ingestBody, startTestServer, type TestServer } from '../../src/testing/index.js'
import { login, seedUser } from '../helpers/accounts.js'
import { StreamClient } from '../support/stream-client.js'

let srv: TestServer | undefined
let client: StreamClient | undefined
afterEach(async () => {
  client?.close()
  await srv?.close()
})

// Regression: the stream and /v1 each built their own credential resolver, so a session JWT signed with
// the per-process local secret was refused (4001) by /v1/stream. One resolver now serves both.
it('when a signed-in user opens /v1/stream with the session JWT, then it is accepted and receives pushes', async () => {
  const clock = new ManualClock('2026-02-15T10:00:00Z')
  const broadcaster = new LocalWsBroadcaster({
    clock,
    logger: silentLogger(),
    maxConnectionsPerPrincipal: 5,
    pingIntervalMs: 30_000,
    maxBufferedBytes: 1_048_576,
  })
  srv = await startTestServer({ clock, broadcaster, config: { jwt_secret: '' } })
  const { user, password } = await seedUser(srv, 'viewer')
  const token = await login(srv, user.email, password)
  client = await StreamClient.open(srv.wsUrl(token))
  await client.subscribe(['events'])
  await srv.post('/v1/ingest', ingestBody([anEvent({ event_id: 'seen-by-jwt', event_type: 'custom' })]))
  const pushed = await client.next('event.new')
  expect(pushed.data['event_id']).toBe('seen-by-jwt')
  expect(client.closeInfo).toBeUndefined()
})
