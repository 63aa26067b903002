import { afterEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../src/clock.js'
import { silentLogger } from '../src/logger.js'
import { LocalWsBroadcaster, type LocalWsOptions } from '../src/realtime/local-ws-broadcaster.js'
import { anEvent, ingestBody, startTestServer, type TestServer } from '../src/testing/index.js'
import { StreamClient } from './support/stream-client.js'

const servers: TestServer[] = []
const clients: StreamClient[] = []

async function serve(options: Partial<LocalWsOptions> = {}, config: Record<string, unknown> = {}) {
  const clock = new ManualClock('2026-02-15T10:00:00Z')
  const broadcaster = new LocalWsBroadcaster({
    clock,
    logger: silentLogger(),
    maxConnectionsPerPrincipal: 5,
    pingIntervalMs: 30_000,
    maxBufferedBytes: 1_048_576,
    ...options,
  })
  const srv = await startTestServer({ clock, broadcaster, config })
  servers.push(srv)
  return { srv, clock, broadcaster }
}

async function connect(url: string, options: ConstructorParameters<typeof StreamClient>[1] = {}) {
  const client = await StreamClient.open(url, options)
  clients.push(client)
  return client
}

/** A ping/pong round trip: every push sent before it has arrived. */
async function barrier(client: StreamClient) {
  client.send({ action: 'ping' })
  await client.next('pong')
}

afterEach(async () => {
  clients.splice(0).forEach((c) => c.close())
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

describe('local stream: subscriptions and pushes', () => {
  it('when a filtered subscriber is connected, then a matching ingest arrives as event.new', async () => {
    const { srv } = await serve()
    const client = await connect(srv.wsUrl())
    const subscribed = await client.subscribe(['events', 'bogus', 'agents'], {
      environment: 'production',
      min_severity: 'info',
      project_id: 'default',
    })
    expect(subscribed.data['channels']).toEqual(['events', 'agents'])
    const filters = subscribed.data['filters'] as Record<string, string>
    expect(filters['project_id']).toMatch(/^[0-9a-f-]{8,}/)
    expect(filters['project_id']).not.toBe('default')

    const events = [
      anEvent({ event_type: 'heartbeat' }),
      anEvent({ event_type: 'task_started', task_id: 't-1', project_id: 'default' }),
      anEvent({ event_type: 'task_started', task_id: 't-2' }),
    ]
    // Latency is a benchmark figure, not a test assertion: a loaded machine must not fail this.
    const res = await srv.post('/v1/ingest', ingestBody(events))
    expect(res.status).toBe(200)
    const pushed = await client.next('event.new')
    expect(pushed.data['event_id']).toBe(events[1]?.event_id)
    expect(pushed.data).toMatchObject({
      task_id: 't-1',
      event_type: 'task_started',
      severity: 'info',
      tenant_id: 'dev',
    })
    await barrier(client)
    expect(client.of('event.new')).toHaveLength(0)
  })

  it('when subscribe is sent again, then it replaces channels and filters and unsubscribe keeps the filters', async () => {
    const { srv } = await serve()
    const client = await connect(srv.wsUrl())
    await client.subscribe(['events'], { group: 'alpha' })
    const again = await client.subscribe(['events', 'agents'], { event_types: ['task_failed'] })
    expect(again.data).toEqual({ channels: ['events', 'agents'], filters: { event_types: ['task_failed'] } })
    client.send({ action: 'unsubscribe', channels: ['events'] })
    const left = await client.next('subscribed')
    expect(left.data).toEqual({ channels: ['agents'], filters: { event_types: ['task_failed'] } })
  })

  it('when filters are invalid or the project unknown, then an error arrives and the subscription is unchanged', async () => {
    const { srv } = await serve()
    const client = await connect(srv.wsUrl())
    await client.subscribe(['events'])
    client.send({ action: 'subscribe', channels: ['agents'], filters: { min_severity: 'loud', event_types: [] } })
    const error = await client.next('error')
    expect(error.data).toMatchObject({ error: 'validation_error', status: 400 })
    const fields = (error.data['details'] as { fields: Array<{ field: string }> }).fields.map((f) => f.field)
    expect(fields).toEqual(['filters.event_types', 'filters.min_severity'])
    client.send({ action: 'subscribe', channels: ['agents'], filters: { project_id: 'nope' } })
    expect((await client.next('error')).data).toMatchObject({ error: 'not_found', status: 404 })
    client.send({ action: 'dance' })
    expect((await client.next('error')).data).toMatchObject({ error: 'validation_error' })
    client.send([1, 2])
    expect((await client.next('error')).data).toMatchObject({ error: 'validation_error' })
    client.send({ action: 'ping', token: 'ignored-locally' })
    expect((await client.next('pong')).data).toMatchObject({ channels: ['events'], reregistered: false })
  })

  it('when agents change status, then agents subscribers get agent.status_changed after the events', async () => {
    const { srv } = await serve()
    const client = await connect(srv.wsUrl())
    await client.subscribe(['events', 'agents'], { agent_id: 'agent-1' })
    await srv.post('/v1/ingest', ingestBody([anEvent({ event_type: 'agent_registered' })]))
    await srv.post('/v1/ingest', ingestBody([anEvent({ event_type: 'task_started', task_id: 't-1' })]))
    const change = await client.next('agent.status_changed')
    expect(change.data).toMatchObject({
      agent_id: 'agent-1',
      previous_status: 'idle',
      new_status: 'processing',
      current_task_id: 't-1',
    })
    // R3: the batch's event.new comes before its status change.
    expect(client.arrivals.slice(-2)).toEqual(['event.new', 'agent.status_changed'])
    await srv.post(
      '/v1/ingest',
      ingestBody([anEvent({ event_type: 'task_started', task_id: 't-9' })], { agent_id: 'other' }),
    )
    await barrier(client)
    expect(client.of('agent.status_changed')).toHaveLength(0)
  })

  it('when the stuck detector finds a silent agent, then agent.stuck follows its status change', async () => {
    const { srv, clock } = await serve()
    const client = await connect(srv.wsUrl())
    await client.subscribe(['agents'], { environment: 'production' })
    await srv.post('/v1/ingest', ingestBody([anEvent({ event_type: 'heartbeat' })]))
    clock.advance(301_000)
    srv.running.app.services.agents.detectStuck()
    const change = await client.next('agent.status_changed')
    expect(change.data).toMatchObject({ agent_id: 'agent-1', new_status: 'stuck' })
    const stuck = await client.next('agent.stuck')
    expect(stuck.data).toMatchObject({
      agent_id: 'agent-1',
      stuck_threshold_seconds: 300,
      last_heartbeat: '2026-02-15T10:00:00.000Z',
    })
    srv.running.app.services.agents.detectStuck()
    await barrier(client)
    expect(client.of('agent.stuck')).toHaveLength(0)
  })

  it('when a client reconnects, then it gets nothing until it subscribes again', async () => {
    const { srv } = await serve()
    const first = await connect(srv.wsUrl())
    await first.subscribe(['events'])
    first.close()
    const second = await connect(srv.wsUrl())
    await srv.post('/v1/ingest', ingestBody(1))
    await barrier(second)
    expect(second.of('event.new')).toHaveLength(0)
    await second.subscribe(['events'])
    await srv.post('/v1/ingest', ingestBody(1))
    expect((await second.next('event.new')).data['event_type']).toBe('custom')
  })

  it('when a test key and a live key are connected, then each sees only its own partition', async () => {
    const { srv } = await serve()
    const live = await connect(srv.wsUrl())
    const test = await connect(srv.wsUrl(srv.keys.test))
    await live.subscribe(['events', 'agents'])
    await test.subscribe(['events', 'agents'])
    const liveEvent = anEvent({ event_type: 'custom' })
    const testEvent = anEvent({ event_type: 'custom' })
    await srv.post('/v1/ingest', ingestBody([liveEvent]))
    await srv.post('/v1/ingest', ingestBody([testEvent]), srv.keys.test)
    expect((await live.next('event.new')).data['event_id']).toBe(liveEvent.event_id)
    expect((await test.next('event.new')).data['event_id']).toBe(testEvent.event_id)
    await Promise.all([barrier(live), barrier(test)])
    expect([...live.of('event.new'), ...test.of('event.new')]).toHaveLength(0)
  })
})

describe('local stream: connection rules', () => {
  it('when the token is missing or invalid, then the socket opens and closes 4001', async () => {
    const { srv } = await serve()
    const missing = await connect(srv.wsUrl(null))
    expect(await missing.closed()).toEqual({ code: 4001, reason: 'Missing token' })
    const invalid = await connect(srv.wsUrl('hb_live_nope'))
    expect(await invalid.closed()).toEqual({ code: 4001, reason: 'Invalid token' })
  })

  it('when a principal holds the maximum, then one more closes 4002 and a read key still connects', async () => {
    const { srv } = await serve({ maxConnectionsPerPrincipal: 2 })
    await connect(srv.wsUrl())
    await connect(srv.wsUrl())
    const third = await connect(srv.wsUrl())
    expect(await third.closed()).toEqual({ code: 4002, reason: 'Too many connections' })
    const reader = await connect(srv.wsUrl(srv.keys.read))
    await reader.subscribe(['events'])
  })

  it('when a frame is binary, not JSON or over 16 KiB, then it closes 1003 or 1009', async () => {
    const { srv } = await serve()
    const binary = await connect(srv.wsUrl())
    binary.ws.send(Buffer.from([1, 2, 3]))
    expect((await binary.closed()).code).toBe(1003)
    const garbage = await connect(srv.wsUrl())
    garbage.send('{not json')
    expect((await garbage.closed()).code).toBe(1003)
    const huge = await connect(srv.wsUrl())
    huge.send({ action: 'ping', pad: 'x'.repeat(17_000) })
    expect((await huge.closed()).code).toBe(1009)
  })

  it('when more than 10 messages arrive in a second, then the excess is ignored with one error', async () => {
    const { srv } = await serve()
    const client = await connect(srv.wsUrl())
    for (let i = 0; i < 15; i++) client.send({ action: 'ping' })
    await client.next('error')
    expect(client.of('error')).toHaveLength(0)
    expect(client.of('pong').length).toBeLessThanOrEqual(10)
  })

  it('when a connected key is revoked, then the periodic re-check closes it 4001', async () => {
    const { srv } = await serve({ recheckMs: 50 })
    const reader = await connect(srv.wsUrl(srv.keys.read))
    const live = await connect(srv.wsUrl())
    await srv.storage.entities.update('api_keys', (keys) =>
      keys.map((k) => (k.key_type === 'read' ? { ...k, is_active: false } : k)),
    )
    expect(await reader.closed()).toEqual({ code: 4001, reason: 'Invalid token' })
    await barrier(live)
    expect(live.closeInfo).toBeUndefined()
  })

  it('when a plain GET or another path asks, then 426 or 404 answers without an upgrade', async () => {
    const { srv } = await serve()
    const plain = await fetch(`${srv.url}/v1/stream`)
    expect(plain.status).toBe(426)
    expect(await plain.json()).toMatchObject({ error: 'upgrade_required' })
    await expect(StreamClient.open(srv.wsUrl().replace('/v1/stream', '/v1/other'))).rejects.toThrow('HTTP 404')
  })

  it('when the query window is full, then the upgrade answers 429', async () => {
    const { srv } = await serve({}, { rate_limit_query_per_second: 1 })
    await connect(srv.wsUrl())
    await expect(StreamClient.open(srv.wsUrl())).rejects.toThrow('HTTP 429')
  })
})

describe('local stream: keepalive', () => {
  it('when a client never answers protocol pings, then it is closed 4003 and a normal client stays', async () => {
    const { srv } = await serve({ pingIntervalMs: 100 })
    const normal = await connect(srv.wsUrl())
    const silent = await connect(srv.wsUrl(), { autoPong: false })
    expect(await silent.closed(2000)).toEqual({ code: 4003, reason: 'Ping timeout' })
    expect(normal.closeInfo).toBeUndefined()
    await barrier(normal)
  })

  it('when the server closes, then clients see 1001', async () => {
    const { srv } = await serve()
    const client = await connect(srv.wsUrl())
    await srv.close()
    servers.splice(0)
    expect((await client.closed()).code).toBe(1001)
  })
})
