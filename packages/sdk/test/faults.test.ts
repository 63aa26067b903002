import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { HiveBoard, reset, type HiveBoardOptions } from '../src/index.js'
import { NodeHttpSender, transportHooks, WRITE_SLICE_CHARS } from '../src/internal.js'
import { captureLogger, deadUrl, startFakeServer, TEST_KEY, type FakeServer, type Scripted } from './helpers.js'

let servers: FakeServer[] = []
let clients: HiveBoard[] = []
let delays: number[] = []

async function fake(script: Scripted[] = [], fallback: Scripted = {}, port = 0): Promise<FakeServer> {
  const s = await startFakeServer(script, fallback, port)
  servers.push(s)
  return s
}

// Every case runs over both senders: the default node:http one and an injected fetch (FetchSender).
const SENDERS = {
  'node:http (default)': {},
  'injected fetch': { fetch: (input: string, init: RequestInit) => globalThis.fetch(input, init) },
} satisfies Record<string, Partial<HiveBoardOptions>>
let senderOptions: Partial<HiveBoardOptions> = {}

function client(endpoint: string, options: Partial<HiveBoardOptions> = {}) {
  const log = captureLogger()
  const hb = new HiveBoard({
    apiKey: TEST_KEY,
    endpoint,
    logger: log.logger,
    flushIntervalMs: 60_000,
    ...senderOptions,
    ...options,
  })
  clients.push(hb)
  const agent = hb.agent('fault-agent', { heartbeatIntervalMs: 0 })
  return { hb, agent, log }
}

function send(agent: ReturnType<typeof client>['agent'], n: number, prefix = 'e'): void {
  for (let i = 0; i < n; i++) agent.event('custom', { summary: `${prefix}${i}` })
}

beforeEach(() => {
  delays = []
  transportHooks.waitScale = 0.001
  transportHooks.onRetry = (ms) => void delays.push(ms)
})

afterEach(async () => {
  transportHooks.waitScale = 1
  delete transportHooks.onRetry
  await Promise.all(clients.map((c) => c.shutdown({ timeoutMs: 0 })))
  await Promise.all(servers.map((s) => s.close()))
  servers = []
  clients = []
  await reset()
})

describe.each(Object.entries(SENDERS))('transport faults over %s', (_name, options) => {
  beforeEach(() => {
    senderOptions = options
  })

  it('server down at start: jittered growing delays, then a counted drop', async () => {
    const { hb, agent, log } = client(await deadUrl(), { maxRetries: 4 })
    send(agent, 2)
    const result = await hb.flush()
    expect(result.dropped).toBe(3)
    expect(hb.stats().dropped.retriesExhausted).toBe(3)
    expect(delays).toHaveLength(4)
    delays.forEach((d, i) => {
      expect(d).toBeGreaterThanOrEqual(500 * 2 ** i)
      expect(d).toBeLessThanOrEqual(1000 * 2 ** i)
    })
    expect(log.text('warn')).toContain('dropped 3 events after 5 attempts')
  })

  it('server down mid-run then back: nothing lost within the queue bound', async () => {
    const first = await fake()
    const port = Number(new URL(first.url).port)
    const { hb, agent } = client(first.url, { maxRetries: 10 })
    send(agent, 5, 'a')
    await hb.flush()
    await first.close()
    send(agent, 20, 'b')
    const pending = hb.flush({ timeoutMs: 5000 })
    await new Promise((r) => setTimeout(r, 50))
    const second = await fake([], {}, port)
    const result = await pending
    expect(result.timedOut).toBe(false)
    const summaries = [...first.events(), ...second.events()].map((e) => (e['payload'] as any)?.summary)
    for (let i = 0; i < 20; i++) expect(summaries).toContain(`b${i}`)
    expect(hb.stats().dropped.retriesExhausted).toBe(0)
  })

  it('500, then 200: exactly 2 requests carrying the same events', async () => {
    const server = await fake([{ status: 500 }])
    const { hb, agent } = client(server.url)
    send(agent, 3)
    await hb.flush()
    expect(server.requests).toHaveLength(2)
    const ids = server.requests.map((r) => r.body!.events.map((e) => e['event_id']))
    expect(ids[0]).toEqual(ids[1])
    expect(hb.stats()).toMatchObject({ sent: 4, retries: 1 })
  })

  it('a burst of 500s, then 200: growing delays, the same events each time, all delivered once', async () => {
    const server = await fake([{ status: 500 }, { status: 502 }, { status: 500 }])
    const { hb, agent } = client(server.url)
    send(agent, 4)
    const result = await hb.flush()
    expect(result).toMatchObject({ sent: 5, dropped: 0, timedOut: false })
    expect(server.requests).toHaveLength(4)
    const ids = server.requests.map((r) => JSON.stringify(r.body!.events.map((e) => e['event_id'])))
    expect(new Set(ids).size).toBe(1)
    expect(delays).toHaveLength(3)
    delays.forEach((d, i) => {
      expect(d).toBeGreaterThanOrEqual(500 * 2 ** i)
      expect(d).toBeLessThanOrEqual(1000 * 2 ** i)
    })
  })

  it('persistent 503: 1 + maxRetries requests and one warning', async () => {
    const server = await fake([], { status: 503 })
    const { hb, agent, log } = client(server.url, { maxRetries: 3 })
    send(agent, 1)
    await hb.flush()
    expect(server.requests).toHaveLength(4)
    expect(
      log.lines.filter((l) => l.level === 'warn' && l.message.includes('after 4 attempts (last: 503)')),
    ).toHaveLength(1)
  })

  it('429 honours Retry-After seconds, body retry_after_seconds, HTTP-date, and caps 3600 at 60 s', async () => {
    const date = new Date(Date.now() + 3000).toUTCString()
    const server = await fake([
      { status: 429, headers: { 'retry-after': '1' } },
      { status: 429, body: { error: 'rate_limited', details: { retry_after_seconds: 0.1 } } },
      { status: 429, headers: { 'retry-after': date } },
      { status: 429, headers: { 'retry-after': '3600' } },
    ])
    const { hb, agent } = client(server.url, { maxRetries: 5 })
    send(agent, 1)
    await hb.flush()
    expect(delays[0]).toBe(1000)
    expect(delays[1]).toBe(100)
    expect(delays[2]).toBeGreaterThan(1000)
    expect(delays[2]).toBeLessThanOrEqual(3000)
    expect(delays[3]).toBe(60_000)
    expect(server.requests).toHaveLength(5)
  })

  it('a 60 s Retry-After wait is cut short by shutdown', async () => {
    transportHooks.waitScale = 1
    const server = await fake([], { status: 429, headers: { 'retry-after': '3600' } })
    const { hb, agent } = client(server.url)
    send(agent, 2)
    void hb.flush()
    await new Promise((r) => setTimeout(r, 50))
    const started = Date.now()
    const result = await hb.shutdown({ timeoutMs: 200 })
    // Bounded by the shutdown timeout, not the hour-long Retry-After; the margin absorbs a loaded CI box.
    expect(Date.now() - started).toBeLessThan(900)
    expect(result).toMatchObject({ dropped: 3, timedOut: true })
    expect(server.requests).toHaveLength(1)
  })

  it('400 is dropped once and never re-sent; 401 logs one error then debug', async () => {
    const server = await fake([{ status: 400, body: { error: 'validation_error' } }], { status: 401 })
    const { hb, agent, log } = client(server.url)
    await hb.flush()
    expect(server.requests).toHaveLength(1)
    expect(hb.stats().dropped.clientError).toBe(1)
    send(agent, 1)
    await hb.flush()
    send(agent, 1)
    await hb.flush()
    await hb.shutdown()
    expect(server.requests).toHaveLength(3)
    expect(hb.stats().dropped.clientError).toBe(3)
    expect(log.lines.filter((l) => l.level === 'error')).toHaveLength(1)
    expect(log.text('error')).toContain('check the API key')
    expect(log.text('warn')).toContain('400')
  })

  it('413 on 100 events: split 50 + 50, all delivered', async () => {
    const server = await fake([{ status: 413 }])
    const { hb, agent } = client(server.url)
    send(agent, 99)
    await hb.flush()
    expect(server.requests.map((r) => r.body!.events.length)).toEqual([100, 50, 50])
    expect(hb.stats()).toMatchObject({ sent: 100, retries: 0 })
  })

  it('207 with 1 of 3 rejected: warning, rejected = 1, no re-send', async () => {
    const body = {
      accepted: 2,
      rejected: 1,
      duplicates: 0,
      errors: [{ index: 1, event_id: 'x', error: 'invalid_event_type', message: 'Unknown event_type: bad' }],
      warnings: [],
    }
    const server = await fake([{ status: 207, body }])
    const { hb, agent, log } = client(server.url)
    send(agent, 2)
    const result = await hb.flush()
    await hb.shutdown()
    expect(result).toMatchObject({ sent: 2, rejected: 1 })
    expect(server.requests).toHaveLength(1)
    expect(log.text('warn')).toContain('2 accepted, 1 rejected (invalid_event_type: Unknown event_type: bad)')
  })

  it('slow server beyond the request timeout is retried', async () => {
    const server = await fake([{ delayMs: 250 }])
    const { hb, agent } = client(server.url, { requestTimeoutMs: 100 })
    send(agent, 1)
    const result = await hb.flush()
    expect(server.requests).toHaveLength(2)
    expect(result.sent).toBe(2)
    expect(hb.stats().lastError).toBe('timeout')
  })

  it('socket reset is retried', async () => {
    const server = await fake([{ destroy: true }])
    const { hb, agent } = client(server.url)
    send(agent, 1)
    expect((await hb.flush()).sent).toBe(2)
    expect(server.requests).toHaveLength(2)
  })

  it('shutdown with a hanging server aborts at the deadline', async () => {
    const server = await fake([], { delayMs: 5000 })
    const { hb, agent } = client(server.url)
    send(agent, 3)
    void hb.flush()
    const started = Date.now()
    const result = await hb.shutdown({ timeoutMs: 300 })
    // Bounded by the 300 ms timeout, not the server's 5 s hang (margin for a loaded CI box).
    expect(Date.now() - started).toBeLessThan(1500)
    expect(result).toMatchObject({ sent: 0, dropped: 4, timedOut: true })
    expect(hb.stats().dropped.shutdown).toBe(4)
  })

  it('shutdown with the server down returns within its timeout', async () => {
    transportHooks.waitScale = 1
    const { hb, agent } = client(await deadUrl())
    send(agent, 5)
    const started = Date.now()
    const result = await hb.shutdown({ timeoutMs: 1000 })
    // Retrying to the end would take 1 + 2 + 4 s of backoff; the margin absorbs a loaded CI box.
    expect(Date.now() - started).toBeLessThanOrEqual(1900)
    expect(result.dropped).toBe(6)
  })

  it('gzip answered with 415 is re-sent plain and compression is turned off', async () => {
    const server = await fake([{ status: 415 }])
    const { hb, agent, log } = client(server.url, { compression: 'gzip' })
    for (let i = 0; i < 40; i++) agent.event('custom', { summary: `big-${i}`, data: { blob: 'x'.repeat(600) } })
    await hb.flush()
    send(agent, 40)
    await hb.flush()
    expect(server.requests[0]!.headers['content-encoding']).toBe('gzip')
    expect(server.requests[1]!.headers['content-encoding']).toBeUndefined()
    expect(server.requests[2]!.headers['content-encoding']).toBeUndefined()
    expect(hb.stats().sent).toBe(81)
    expect(log.text('warn')).toContain('compression is off')
  })

  it('sends the documented headers', async () => {
    const server = await fake()
    const { hb } = client(server.url)
    await hb.flush()
    const h = server.requests[0]!.headers
    expect(h['authorization']).toBe(`Bearer ${TEST_KEY}`)
    expect(h['content-type']).toBe('application/json')
    expect(h['user-agent']).toMatch(/^loophive\/\S+ node\/\d+/)
  })
})

describe('node:http sender', () => {
  beforeEach(() => {
    senderOptions = {}
  })

  it('a kept-alive connection reset by the server is re-sent at once on a fresh one, without a retry', async () => {
    const server = await fake()
    const { hb, agent } = client(server.url)
    await hb.flush() // agent_registered opens the kept-alive connection
    server.script = [{ destroy: true }]
    send(agent, 2)
    const result = await hb.flush()
    expect(result).toMatchObject({ sent: 2, timedOut: false })
    expect(server.requests).toHaveLength(3)
    expect(server.requests[1]!.raw).toBe(server.requests[2]!.raw)
    expect(hb.stats().retries).toBe(0)
    expect(delays).toEqual([])
  })

  it('a body larger than one write slice arrives intact, with a surrogate pair across the slice boundary', async () => {
    const server = await fake([{ body: { ok: true } }])
    const sender = new NodeHttpSender()
    const body = `x${'\u{1F41D}'.repeat(40_000)}` // 80,001 UTF-16 units; unit 65,535 is a high surrogate
    expect(body.charCodeAt(WRITE_SLICE_CHARS - 1)).toBe(0xd83d)
    const result = await sender.send({
      url: server.url,
      headers: { 'content-type': 'text/plain' },
      body,
      timeoutMs: 5000,
      signal: new AbortController().signal,
    })
    sender.close()
    expect(result).toMatchObject({ kind: 'response', status: 200 })
    expect(server.requests[0]!.raw).toBe(body)
  })
})
