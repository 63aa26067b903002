import { describe, expect, it } from 'vitest'
import { backoffMs, isUnknownAgent, parseServerMessage, subscribeMessage } from '../src/live/messages.js'
import { ApiError, buildUrl, errorFromEnvelope, ServerClock } from '../src/lib/api.js'

describe('live protocol (R13, R41, D12)', () => {
  it('known messages parse; unknown types, non-objects and bad JSON are dropped', () => {
    expect(
      parseServerMessage('{"type":"pong","data":{"server_time":"x","channels":[],"reregistered":false}}')?.type,
    ).toBe('pong')
    expect(parseServerMessage('{"type":"agent.heartbeat","data":{}}')).toBeNull()
    expect(parseServerMessage('{"data":{}}')).toBeNull()
    expect(parseServerMessage('[1]')).toBeNull()
    expect(parseServerMessage('nope')).toBeNull()
    expect(parseServerMessage('{"type":"event.new","data":{}}')).toBeNull()
  })

  it('an event from an agent the hive does not hold asks for an agents refetch; before the first load it does not', () => {
    const agents = [{ agent_id: 'scout' }]
    expect(isUnknownAgent(agents, 'night-owl')).toBe(true)
    expect(isUnknownAgent(agents, 'scout')).toBe(false)
    expect(isUnknownAgent(null, 'night-owl')).toBe(false)
  })

  it('backoff is random(0.5, 1) × min(30 s, 1 s × 2^n)', () => {
    expect(backoffMs(0, () => 0)).toBe(500)
    expect(backoffMs(0, () => 1)).toBe(1000)
    expect(backoffMs(3, () => 1)).toBe(8000)
    expect(backoffMs(10, () => 1)).toBe(30_000)
  })

  it('subscribe carries the token, the events, agents and alerts channels and the 12 non-heartbeat types (D12)', () => {
    const m = subscribeMessage('hb_live_x', { environment: 'production', project_id: null })
    expect(m.token).toBe('hb_live_x')
    expect(m.channels).toEqual(['events', 'agents', 'alerts'])
    expect(m.filters).toMatchObject({ environment: 'production' })
    expect((m.filters.event_types as string[]).length).toBe(12)
    expect(m.filters.event_types).not.toContain('heartbeat')
  })
})

describe('API client (D10, D11)', () => {
  it('builds URLs with URLSearchParams, skipping nulls and joining lists', () => {
    expect(
      buildUrl('http://h', '/v1/tasks', { limit: 50, status: ['failed', 'escalated'], agent_id: null, q: 'a b' }),
    ).toBe('http://h/v1/tasks?limit=50&status=failed%2Cescalated&q=a+b')
  })

  it('maps the error envelope to ApiError', () => {
    const e = errorFromEnvelope(404, { error: 'not_found', message: 'Task not found', status: 404 }, null)
    expect(e).toBeInstanceOf(ApiError)
    expect([e.status, e.code, e.message]).toEqual([404, 'not_found', 'Task not found'])
    expect(errorFromEnvelope(502, 'gateway', 3).retryAfter).toBe(3)
  })

  it('server time offset is the median of the last five Date headers', () => {
    const c = new ServerClock()
    const base = Date.parse('2026-02-15T10:00:00Z')
    for (const off of [1000, 5000, 2000, 900_000, 3000, 4000]) c.observe(new Date(base + off).toUTCString(), base)
    expect(c.offset()).toBe(4000)
  })

  it('a fetch that rejects becomes status 0, and 429 retries once after Retry-After', async () => {
    const { ApiClient } = await import('../src/lib/api.js')
    const down = new ApiClient({
      endpoint: 'http://h',
      token: () => null,
      fetchImpl: () => Promise.reject(new TypeError('x')),
    })
    await expect(down.get('/v1/agents')).rejects.toMatchObject({ status: 0 })
    let calls = 0
    const limited = new ApiClient({
      endpoint: 'http://h',
      token: () => 'k',
      fetchImpl: () => {
        calls++
        return Promise.resolve(
          calls === 1
            ? new Response('{"error":"rate_limited","message":"slow"}', {
                status: 429,
                headers: { 'retry-after': '0' },
              })
            : new Response('{"ok":true}', { status: 200 }),
        )
      },
    })
    await expect(limited.get('/v1/agents')).resolves.toEqual({ ok: true })
    expect(calls).toBe(2)
  })
})
