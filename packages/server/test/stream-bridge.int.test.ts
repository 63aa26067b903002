import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../src/clock.js'
import { silentLogger } from '../src/logger.js'
import { ApiGatewayBroadcaster, type ApiGatewayOptions } from '../src/realtime/apigw-broadcaster.js'
import { generateApiKey } from '../src/domains/keys/api-keys.js'
import { anEvent, ingestBody, startTestServer, type TestServer } from '../src/testing/index.js'
import { FakeManagementApi } from './support/fake-management-api.js'

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function fakeApi(): Promise<{ fake: FakeManagementApi; endpoint: string }> {
  const fake = new FakeManagementApi()
  const endpoint = await fake.start()
  cleanups.push(() => fake.stop())
  return { fake, endpoint }
}

function newBridge(
  endpoint: string,
  clock: ManualClock,
  options: Partial<ApiGatewayOptions> = {},
): ApiGatewayBroadcaster {
  return new ApiGatewayBroadcaster({
    endpoint,
    region: 'us-east-1',
    concurrency: 16,
    queuePerConnection: 256,
    clock,
    logger: silentLogger(),
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' },
    ...options,
  })
}

async function serve(options: Partial<ApiGatewayOptions> = {}, extra: { dataDir?: string; devKey?: string } = {}) {
  const { fake, endpoint } = await fakeApi()
  const clock = new ManualClock('2026-02-15T10:00:00Z')
  const bridge = newBridge(endpoint, clock, options)
  const srv = await startTestServer({ clock, broadcaster: bridge, ...extra })
  cleanups.push(() => srv.close())
  return { srv, fake, bridge, clock, endpoint }
}

function call(srv: TestServer, path: string, connectionId: string | undefined, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (connectionId !== undefined) headers['connectionId'] = connectionId
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
  return fetch(srv.url + path, { method: 'POST', headers, ...(payload === undefined ? {} : { body: payload }) })
}

const connectPath = (token: string) => `/ws/connect?token=${encodeURIComponent(token)}`

describe('bridge: connect, subscribe, push', () => {
  it('when a gateway connection subscribes, then the fake receives exactly subscribed and the matching event.new', async () => {
    const { srv, fake } = await serve()
    expect(await (await call(srv, connectPath(srv.keys.live), 'conn-A=')).json()).toEqual({ status: 'connected' })
    expect((await call(srv, connectPath(srv.keys.live), 'conn-B=')).status).toBe(200)
    const sub = await call(srv, '/ws/message', 'conn-A=', {
      action: 'subscribe',
      channels: ['events'],
      filters: { event_types: ['task_started'] },
    })
    expect(await sub.json()).toEqual({
      status: 'subscribed',
      channels: ['events'],
      filters: { event_types: ['task_started'] },
    })
    const started = anEvent({ event_type: 'task_started', task_id: 't-1' })
    await srv.post('/v1/ingest', ingestBody([anEvent({ event_type: 'custom' }), started]))
    const posts = await fake.waitFor('conn-A=', 2)
    expect(posts.map((p) => p.type)).toEqual(['subscribed', 'event.new'])
    expect(posts[1]?.data['event_id']).toBe(started.event_id)
    expect(fake.to('conn-B=')).toEqual([])
  })

  it('when a test key and a live key are registered, then pushes stay in their partition', async () => {
    const { srv, fake } = await serve()
    await call(srv, connectPath(srv.keys.live), 'live-1')
    await call(srv, connectPath(srv.keys.test), 'test-1')
    await call(srv, '/ws/message', 'live-1', { action: 'subscribe', channels: ['events', 'agents'] })
    await call(srv, '/ws/message', 'test-1', { action: 'subscribe', channels: ['events', 'agents'] })
    await srv.post('/v1/ingest', ingestBody(1), srv.keys.test)
    await srv.post('/v1/ingest', ingestBody(1))
    const live = await fake.waitFor('live-1', 2)
    const test = await fake.waitFor('test-1', 2)
    expect(live[1]?.data['event_id']).not.toBe(test[1]?.data['event_id'])
    expect(fake.posts).toHaveLength(4)
  })

  it('when the gateway says a connection is gone, then it is unregistered and never posted to again', async () => {
    const { srv, fake, bridge } = await serve()
    await call(srv, connectPath(srv.keys.live), 'gone-1')
    await call(srv, '/ws/message', 'gone-1', { action: 'subscribe', channels: ['events'] })
    await fake.waitFor('gone-1', 1)
    fake.gone.add('gone-1')
    const before = fake.attempts
    await srv.post('/v1/ingest', ingestBody(1))
    await expect.poll(() => bridge.get('gone-1')).toBeUndefined()
    expect(bridge.stats()).toMatchObject({ pushes_gone: 1, connections: 0 })
    await srv.post('/v1/ingest', ingestBody(1))
    // NOTE: proving an absence needs a wait; a second call would have arrived well within 100 ms.
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(fake.attempts).toBe(before + 1)
  })

  it('when messages are not understood, then HTTP answers and the same error is pushed', async () => {
    const { srv, fake } = await serve()
    await call(srv, connectPath(srv.keys.live), 'c1')
    const bad = await call(srv, '/ws/message', 'c1', {
      action: 'subscribe',
      channels: ['events'],
      filters: { min_severity: 'x' },
    })
    expect(bad.status).toBe(400)
    const unknown = await call(srv, '/ws/message', 'c1', { action: 'dance' })
    expect(await unknown.json()).toEqual({ status: 'unknown_action' })
    expect((await call(srv, '/ws/message', 'c1', '{oops')).status).toBe(400)
    expect((await call(srv, '/ws/message', 'c1', { action: 'ping', pad: 'x'.repeat(17_000) })).status).toBe(413)
    const pushed = await fake.waitFor('c1', 4)
    expect(pushed.map((p) => p.data['error'])).toEqual([
      'validation_error',
      'validation_error',
      'invalid_json',
      'body_too_large',
    ])
  })
})

describe('bridge: auth and re-registration', () => {
  it('when connect has no token or a bad one, or no connectionId, then 400 / 401 / 400', async () => {
    const { srv } = await serve()
    expect((await call(srv, '/ws/connect', 'x')).status).toBe(400)
    const bad = await call(srv, connectPath('hb_live_nope'), 'x')
    expect(bad.status).toBe(401)
    expect(await bad.json()).toMatchObject({ error: 'authentication_failed' })
    expect((await call(srv, connectPath(srv.keys.live), undefined)).status).toBe(400)
    expect(await (await call(srv, '/ws/disconnect', 'never-seen')).json()).toEqual({ status: 'disconnected' })
  })

  it('when a new bridge instance starts, then ping or subscribe with the token re-registers the connection', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hb-bridge-'))
    cleanups.push(() => Promise.resolve(rmSync(dataDir, { recursive: true, force: true })))
    const devKey = generateApiKey('live')
    const first = await serve({}, { dataDir, devKey })
    await call(first.srv, connectPath(devKey), 'keep-1')
    await call(first.srv, connectPath(devKey), 'keep-2')
    await first.srv.close()

    const { srv, fake, bridge } = await serve({}, { dataDir, devKey })
    const noToken = await call(srv, '/ws/message', 'keep-1', { action: 'ping' })
    expect(noToken.status).toBe(400)
    expect(await noToken.json()).toMatchObject({ details: { reason: 'unknown_connection' } })
    expect((await call(srv, '/ws/message', 'keep-1', { action: 'ping', token: 'hb_live_bad' })).status).toBe(401)
    const ping = await call(srv, '/ws/message', 'keep-1', { action: 'ping', token: devKey })
    expect(await ping.json()).toEqual({ status: 'pong', reregistered: true })
    const sub = await call(srv, '/ws/message', 'keep-2', { action: 'subscribe', channels: ['events'], token: devKey })
    expect(sub.status).toBe(200)
    expect(bridge.stats().connections).toBe(2)
    const pushes = await fake.waitFor('keep-1', 3)
    expect(pushes[2]).toMatchObject({ type: 'pong', data: { reregistered: true, channels: [] } })
    expect((await call(srv, '/ws/message', 'keep-1', { action: 'ping', token: devKey })).ok).toBe(true)
    expect((await fake.waitFor('keep-1', 4))[3]?.data['reregistered']).toBe(false)
    await srv.post('/v1/ingest', ingestBody(1))
    expect((await fake.waitFor('keep-2', 2))[1]?.type).toBe('event.new')
  })

  it('when registrations are older than 2 h 5 min, then the sweep removes them', async () => {
    const { srv, bridge, clock } = await serve()
    await call(srv, connectPath(srv.keys.live), 'old')
    clock.advance(2 * 3600_000 + 5 * 60_000 + 1)
    await call(srv, connectPath(srv.keys.live), 'young')
    expect(bridge.sweep()).toBe(1)
    expect(bridge.get('old')).toBeUndefined()
    expect(bridge.get('young')).toBeDefined()
  })
})

describe('bridge: inactive guards', () => {
  it('when the app broadcaster is not the bridge, then /ws/* answers 501 bridge_inactive before other checks', async () => {
    const srv = await startTestServer()
    cleanups.push(() => srv.close())
    const res = await call(srv, '/ws/connect', undefined)
    expect(res.status).toBe(501)
    expect(await res.json()).toMatchObject({ error: 'bridge_inactive', status: 501 })
    expect((await call(srv, '/ws/message', 'x', '{bad')).status).toBe(501)
  })

  it('when the bridge serves the stream, then /v1/stream answers 501 stream_inactive', async () => {
    const { srv } = await serve()
    const res = await fetch(`${srv.url}/v1/stream`)
    expect(res.status).toBe(501)
    expect(await res.json()).toMatchObject({ error: 'stream_inactive' })
  })
})

describe('bridge: pushes never block ingest', () => {
  it('when the gateway takes 5 s, then ingest answers first and in-flight calls stay within the concurrency', async () => {
    const { srv, fake, bridge } = await serve({ concurrency: 2 })
    for (const id of ['s1', 's2', 's3', 's4']) {
      await call(srv, connectPath(srv.keys.live), id)
      await call(srv, '/ws/message', id, { action: 'subscribe', channels: ['events'] })
    }
    await fake.waitFor('s4', 1)
    fake.delayMs = 5000
    const started = performance.now()
    const res = await srv.post('/v1/ingest', ingestBody(3))
    expect(res.status).toBe(200)
    expect(performance.now() - started).toBeLessThan(1000)
    await expect.poll(() => fake.inFlight).toBe(2)
    expect(bridge.peakInFlight).toBeLessThanOrEqual(2)
  })

  it('when pushes are slow, then each connection receives its messages in order', async () => {
    const { srv, fake } = await serve({ concurrency: 3 })
    for (const id of ['o1', 'o2']) {
      await call(srv, connectPath(srv.keys.live), id)
      await call(srv, '/ws/message', id, { action: 'subscribe', channels: ['events'] })
    }
    fake.delayMs = 20
    const body = ingestBody(5)
    await srv.post('/v1/ingest', body)
    for (const id of ['o1', 'o2']) {
      const ids = (await fake.waitFor(id, 6)).slice(1).map((p) => p.data['event_id'])
      expect(ids).toEqual(body.events.map((e) => e.event_id))
    }
    expect(fake.peakInFlight).toBeLessThanOrEqual(3)
  })

  it('when a connection queue overflows, then the newest are dropped and one lagged follows', async () => {
    const { srv, fake, bridge } = await serve({ queuePerConnection: 2 })
    await call(srv, connectPath(srv.keys.live), 'slow')
    await call(srv, '/ws/message', 'slow', { action: 'subscribe', channels: ['events'] })
    await fake.waitFor('slow', 1)
    fake.delayMs = 50
    await srv.post('/v1/ingest', ingestBody(10))
    const posts = await fake.waitFor('slow', 5)
    expect(posts.map((p) => p.type)).toEqual(['subscribed', 'event.new', 'event.new', 'event.new', 'lagged'])
    expect(posts[4]?.data).toMatchObject({ dropped: 7, channels: ['events'], since: '2026-02-15T10:00:00.000Z' })
    expect(bridge.stats()).toMatchObject({ messages_dropped: 7, lagged_notices: 1 })
  })
})

describe('bridge: failures and the secret', () => {
  it('when ten pushes in a row fail, then the connection is unregistered', async () => {
    const { srv, fake, bridge } = await serve()
    await call(srv, connectPath(srv.keys.live), 'flaky')
    await call(srv, '/ws/message', 'flaky', { action: 'subscribe', channels: ['events'] })
    await fake.waitFor('flaky', 1)
    fake.failWith = 403
    await srv.post('/v1/ingest', ingestBody(12))
    await expect.poll(() => bridge.get('flaky')).toBeUndefined()
    expect(bridge.stats().pushes_failed).toBe(10)
  })

  it('when a bridge secret is configured, then calls without it answer 401', async () => {
    const { endpoint } = await fakeApi()
    const clock = new ManualClock('2026-02-15T10:00:00Z')
    const secret = 'b'.repeat(16) + 'c'.repeat(16)
    const srv = await startTestServer({
      clock,
      broadcaster: newBridge(endpoint, clock),
      config: { ws_bridge_secret: secret },
    })
    cleanups.push(() => srv.close())
    expect((await call(srv, connectPath(srv.keys.live), 'sec')).status).toBe(401)
    const ok = await fetch(srv.url + connectPath(srv.keys.live), {
      method: 'POST',
      headers: { connectionId: 'sec', 'X-Bridge-Secret': secret },
    })
    expect(ok.status).toBe(200)
  })
})
