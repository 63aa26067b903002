import { afterEach, describe, expect, it, vi } from 'vitest'
import { HiveBoard, reset } from '../src/index.js'
import {
  Batch,
  buildBody,
  buildBodyParts,
  classifyResponse,
  EVENTS_PER_PART,
  FetchSender,
  Log,
  retryAfterMs,
  safeStringify,
  Transport,
  type Item,
} from '../src/internal.js'
import { captureLogger, TEST_KEY } from './helpers.js'
import { stubClient } from './stub.js'

afterEach(async () => {
  vi.useRealTimers()
  await reset()
})

describe('serialization never throws', () => {
  it('replaces BigInt, cycles, throwing getters, Map/Set/Error/binary and deep nesting', async () => {
    const s = stubClient()
    const agent = s.hb.agent('ser', { heartbeatIntervalMs: 0 })
    const cyclic: Record<string, unknown> = { name: 'loop' }
    cyclic['self'] = cyclic
    const getter = {
      get boom(): string {
        throw new Error('no')
      },
    }
    let deep: Record<string, unknown> = {}
    const root = deep
    for (let i = 0; i < 70; i++) deep = deep['d'] = {}
    const revoked = Proxy.revocable({}, {})
    revoked.revoke()
    agent.event('custom', {
      summary: 'odd',
      data: {
        big: 12345678901234567890n,
        cyclic,
        getter,
        map: new Map([['k', 1]]),
        set: new Set([1, 2]),
        err: new TypeError('t'),
        bin: new Uint8Array(8),
        deep: root,
        revoked: revoked.proxy,
      },
    })
    agent.event('custom', { summary: 'fine' })
    await s.hb.shutdown()
    const [odd, fine] = s.events().slice(1) as any[]
    expect(odd.payload.data.big).toBe('12345678901234567890')
    expect(odd.payload.data.cyclic).toEqual({ name: 'loop', self: '[Circular]' })
    expect(odd.payload.data.getter).toEqual({ boom: '[Unserializable]' })
    expect(odd.payload.data.map).toEqual({ k: 1 })
    expect(odd.payload.data.set).toEqual([1, 2])
    expect(odd.payload.data.err).toEqual({ name: 'TypeError', message: 't' })
    expect(odd.payload.data.bin).toBe('[Binary 8 bytes]')
    expect(JSON.stringify(odd.payload.data.deep)).toContain('[Depth]')
    expect(odd.payload.data.revoked).toBe('[Unserializable]')
    expect(fine.payload.summary).toBe('fine')
  })

  it('later changes to the caller objects have no effect', async () => {
    const s = stubClient()
    const agent = s.hb.agent('ser2', { heartbeatIntervalMs: 0 })
    const payload = { summary: 'before' }
    agent.event('custom', payload)
    payload.summary = 'after'
    await s.hb.shutdown()
    expect((s.events()[1] as any).payload.summary).toBe('before')
  })

  it('safeStringify of a toJSON that throws', () => {
    expect(
      safeStringify({
        a: {
          toJSON() {
            throw new Error('x')
          },
        },
      }),
    ).toBe('{"a":"[Unserializable]"}')
  })
})

describe('queue and batching', () => {
  it('a full queue drops the oldest and counts the drops', async () => {
    const s = stubClient({ maxQueueSize: 10 })
    const agent = s.hb.agent('q', { heartbeatIntervalMs: 0 })
    for (let i = 0; i < 25; i++) agent.event('custom', { summary: `e${i}` })
    expect(s.hb.stats()).toMatchObject({ queued: 10, dropped: { queueFull: 16 } })
    await s.hb.shutdown()
    expect(s.events().map((e: any) => e.payload.summary)).toEqual(Array.from({ length: 10 }, (_, i) => `e${i + 15}`))
    expect(s.log.text('warn')).toContain('dropped 1 events in the last 60 s: queue full')
  })

  it('agents A, B, A give exactly 2 requests; batchSize splits requests', async () => {
    const s = stubClient({ batchSize: 3 })
    const a = s.hb.agent('A', { heartbeatIntervalMs: 0 })
    s.hb.agent('B', { heartbeatIntervalMs: 0 })
    a.event('custom', { summary: 'a2' })
    await s.hb.flush()
    expect(s.bodies.map((b) => [b.envelope['agent_id'], b.events.length])).toEqual([
      ['A', 2],
      ['B', 1],
    ])
  })

  it('reaching batchSize sends via setImmediate, never on the caller stack', async () => {
    const s = stubClient({ batchSize: 5 })
    const agent = s.hb.agent('imm', { heartbeatIntervalMs: 0 })
    for (let i = 0; i < 4; i++) agent.event('custom', { summary: `e${i}` })
    expect(s.calls).toBe(0)
    // one turn starts the drain, the next one sends (each request starts on a fresh turn)
    await new Promise((r) => setImmediate(r))
    expect(s.calls).toBe(0)
    await new Promise((r) => setImmediate(r))
    expect(s.calls).toBe(1)
  })

  it('the interval timer sends once after the first event, none while empty', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] })
    const s = stubClient({ flushIntervalMs: 1000 })
    s.hb.agent('timer', { heartbeatIntervalMs: 0 })
    await vi.advanceTimersByTimeAsync(999)
    expect(s.calls).toBe(0)
    await vi.advanceTimersByTimeAsync(2)
    expect(s.calls).toBe(1)
    await vi.advanceTimersByTimeAsync(10_000)
    expect(s.calls).toBe(1)
  })

  it('concurrent flush calls share the drain and add no requests', async () => {
    const s = stubClient()
    const agent = s.hb.agent('cf', { heartbeatIntervalMs: 0 })
    agent.event('custom', { summary: 'x' })
    const results = await Promise.all([s.hb.flush(), s.hb.flush(), s.hb.flush()])
    expect(s.calls).toBe(1)
    expect(results[0]).toMatchObject({ sent: 2, pending: 0, timedOut: false })
    expect(await s.hb.flush()).toEqual({ sent: 0, rejected: 0, dropped: 0, pending: 0, timedOut: false })
  })

  it('flush timeout leaves events queued and never rejects', async () => {
    const log = captureLogger()
    const hb = new HiveBoard({
      apiKey: TEST_KEY,
      endpoint: 'http://stub.invalid',
      logger: log.logger,
      fetch: () => new Promise<Response>(() => undefined),
    })
    hb.agent('slow', { heartbeatIntervalMs: 0 })
    const result = await hb.flush({ timeoutMs: 50 })
    expect(result).toMatchObject({ timedOut: true, pending: 1 })
    expect(hb.stats().inFlight).toBe(1)
    await hb.shutdown({ timeoutMs: 0 })
  })

  it('events after shutdown are ignored and counted closed; agent() on a closed client is inert', async () => {
    const s = stubClient()
    const agent = s.hb.agent('c', { heartbeatIntervalMs: 0 })
    await s.hb.shutdown()
    agent.event('custom', { summary: 'late' })
    const inert = s.hb.agent('new-one')
    inert.event('custom')
    expect(s.hb.stats().dropped.closed).toBe(2)
    expect(s.hb.closed).toBe(true)
    expect(s.hb.shutdown()).toBe(s.hb.shutdown())
  })
})

describe('classifyResponse', () => {
  it('maps statuses', () => {
    const r = (status: number, body = '{}', retryAfter: string | null = null) =>
      classifyResponse({ kind: 'response', status, retryAfter, body }, false, 0).kind
    expect(r(200)).toBe('ok')
    expect(r(202)).toBe('ok')
    expect(r(207)).toBe('partial')
    expect(r(408)).toBe('retry')
    expect(r(429)).toBe('retry')
    expect(r(502)).toBe('retry')
    expect(r(413)).toBe('split')
    expect(r(401)).toBe('drop')
    expect(r(422)).toBe('drop')
    expect(r(302)).toBe('drop')
    expect(classifyResponse({ kind: 'response', status: 415, retryAfter: null, body: '' }, true).kind).toBe('fallback')
    expect(classifyResponse({ kind: 'error', error: 'ECONNREFUSED' }, false).kind).toBe('retry')
  })

  it('computes 429 delays', () => {
    expect(retryAfterMs('2', '', 0)).toBe(2000)
    expect(retryAfterMs(null, '{"details":{"retry_after_seconds":0.5}}', 0)).toBe(500)
    expect(retryAfterMs(null, 'nope', 0)).toBe(2000)
    expect(retryAfterMs('99999', '', 0)).toBe(60_000)
    expect(retryAfterMs(new Date(10_000).toUTCString(), '', 4000)).toBe(6000)
  })
})

describe('Batch', () => {
  it('tryAdd reports count and bytes limits; maxBatchBytes splits requests', async () => {
    const env = { json: '{"agent_id":"a"}', agentId: 'a' }
    const item = (n: number) => ({ seq: n, json: Buffer.from(`"${'x'.repeat(98)}"`), bytes: 100, env, done: false })
    const byCount = new Batch(env, 2, 1_000_000)
    expect([byCount.tryAdd(item(1)), byCount.tryAdd(item(2)), byCount.tryAdd(item(3))]).toEqual([
      { ok: true },
      { ok: true },
      { ok: false, reason: 'count' },
    ])
    const byBytes = new Batch(env, 100, 300)
    expect([byBytes.tryAdd(item(1)), byBytes.tryAdd(item(2)), byBytes.tryAdd(item(3))]).toEqual([
      { ok: true },
      { ok: true },
      { ok: false, reason: 'bytes' },
    ])
    expect(JSON.parse(byBytes.body()).events).toHaveLength(2)
    expect(Buffer.byteLength(byBytes.body())).toBeLessThanOrEqual(byBytes.bytes)

    const s = stubClient({ maxBatchBytes: 64 * 1024 })
    const agent = s.hb.agent('big', { heartbeatIntervalMs: 0 })
    for (let i = 0; i < 30; i++) agent.event('custom', { summary: `e${i}`, data: { blob: 'y'.repeat(5000) } })
    await s.hb.flush()
    expect(s.bodies.length).toBeGreaterThan(2)
    expect(s.bodies.flatMap((b) => b.events)).toHaveLength(31)
  })
})

describe('SDK logs', () => {
  it('gate debug, rate limit warnings and never show more than 10 key characters', async () => {
    const log = captureLogger()
    const hb = new HiveBoard({
      apiKey: TEST_KEY,
      endpoint: 'http://stub.invalid',
      logger: log.logger,
      fetch: () => Promise.resolve(new Response('', { status: 401 })),
    })
    hb.agent('keys', { heartbeatIntervalMs: 0 })
    hb.log.warn(`bad key ${TEST_KEY}`)
    hb.log.warn(`bad key ${TEST_KEY}`)
    await hb.flush()
    await hb.shutdown()
    expect(log.lines.filter((l) => l.level === 'debug')).toEqual([])
    expect(log.lines.filter((l) => l.message.startsWith('bad key'))).toHaveLength(1)
    expect(log.text()).toContain(`bad key ${TEST_KEY.slice(0, 10)}...`)
    expect(log.text()).not.toContain(TEST_KEY.slice(0, 11))
  })
})

describe('body parts', () => {
  const env = { json: '{"agent_id":"é-agent","runtime":"node"}', agentId: 'é-agent' }
  const item = (seq: number, json: string): Item => {
    const data = Buffer.from(json)
    return { seq, json: data, bytes: data.length, env, done: false }
  }

  it.each([0, 1, EVENTS_PER_PART, EVENTS_PER_PART + 1, 3 * EVENTS_PER_PART + 7])(
    'with %i events, the parts join to the body JSON and bytes is its exact UTF-8 length',
    (n) => {
      const jsons = Array.from({ length: n }, (_, i) => JSON.stringify({ i, text: `ünïcödé \u{1F41D} ${i}` }))
      const items = jsons.map((json, i) => item(i, json))
      const { parts, bytes } = buildBodyParts(env, items)
      const whole = `{"envelope":${env.json},"events":[${jsons.join(',')}]}`
      expect(Buffer.concat(parts.flat()).toString()).toBe(whole)
      expect(buildBody(env, items)).toBe(whole)
      expect(bytes).toBe(Buffer.byteLength(whole))
      expect(parts).toHaveLength(Math.max(1, Math.ceil(n / EVENTS_PER_PART)))
      expect(() => JSON.parse(whole) as unknown).not.toThrow()
    },
  )
})

describe('Transport.enqueue (loophive/internal)', () => {
  it('takes an event as one JSON string or in pieces, and sends exactly those bytes', async () => {
    const bodies: string[] = []
    const sender = new FetchSender((_url, init) => {
      bodies.push(init.body as string)
      return Promise.resolve(new Response('{"accepted":2,"rejected":0,"duplicates":0,"errors":[],"warnings":[]}'))
    })
    const transport = new Transport({
      url: 'http://stub.invalid/v1/ingest',
      apiKey: TEST_KEY,
      batchSize: 100,
      maxQueueSize: 100,
      maxQueueBytes: 1 << 20,
      maxBatchBytes: 1 << 20,
      flushIntervalMs: 60_000,
      requestTimeoutMs: 5000,
      maxRetries: 0,
      compression: 'none',
      sender,
      log: new Log(false, false),
    })
    const env = { json: '{"agent_id":"a"}', agentId: 'a' }
    expect(transport.enqueue(env, '{"n":"é1"}')).toBe(true)
    expect(transport.enqueue(env, ['{"n":', '"\u{1F41D}2"', '}'])).toBe(true)
    expect(transport.stats().queuedBytes).toBe(Buffer.byteLength('{"n":"é1"}{"n":"\u{1F41D}2"}'))
    expect(await transport.flush()).toMatchObject({ sent: 2, timedOut: false })
    expect(bodies).toEqual(['{"envelope":{"agent_id":"a"},"events":[{"n":"é1"},{"n":"\u{1F41D}2"}]}'])
    await transport.shutdown({ timeoutMs: 0 })
  })
})
