import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { startTestServer, type TestServer } from '../src/testing/index.js'

let srv: TestServer
beforeEach(async () => {
  srv = await startTestServer()
})
afterEach(async () => {
  await srv.close()
})

describe('HTTP conventions (api.md §1)', () => {
  it('when /health is called without auth, then it answers ok with version and mode', async () => {
    const res = await fetch(`${srv.url}/health`)
    expect(await res.json()).toEqual({ status: 'ok', version: expect.any(String), mode: 'local' })
    expect((await fetch(`${srv.url}/health/ready`)).status).toBe(200)
  })

  it('when a /v1 route is unknown, then auth runs first (401), then 404 in the envelope', async () => {
    expect((await fetch(`${srv.url}/v1/nothing`)).status).toBe(401)
    const res = await srv.get('/v1/nothing')
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({ error: 'not_found', message: 'Route not found', status: 404 })
    expect((await fetch(`${srv.url}/elsewhere`)).status).toBe(404)
  })

  it('when the method is wrong, then 405 method_not_allowed with Allow', async () => {
    const res = await fetch(`${srv.url}/v1/agents`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${srv.keys.live}` },
    })
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toBe('GET, HEAD, OPTIONS')
    expect(((await res.json()) as { error: string }).error).toBe('method_not_allowed')
  })

  it('when HEAD is used on a GET route, then it answers like GET without a body', async () => {
    const res = await fetch(`${srv.url}/v1/agents`, {
      method: 'HEAD',
      headers: { authorization: `Bearer ${srv.keys.live}` },
    })
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('')
  })

  it('when a trailing slash is added, then the route still matches', async () => {
    expect((await srv.get('/v1/agents/')).status).toBe(200)
  })

  it('when the client sends a valid X-Request-Id, then it is echoed; otherwise a UUID is made', async () => {
    const mine = await fetch(`${srv.url}/health`, { headers: { 'x-request-id': 'abc.123_x-y' } })
    expect(mine.headers.get('x-request-id')).toBe('abc.123_x-y')
    const bad = await fetch(`${srv.url}/health`, { headers: { 'x-request-id': 'has spaces!' } })
    expect(bad.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('when an API response is sent, then it is no-store, nosniff and CORS-open in local mode', async () => {
    const res = await srv.get('/v1/agents')
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8')
  })

  it('when a preflight arrives without credentials, then 204 before auth', async () => {
    const res = await fetch(`${srv.url}/v1/ingest`, { method: 'OPTIONS' })
    expect(res.status).toBe(204)
    expect(res.headers.get('access-control-allow-methods')).toContain('POST')
    expect(res.headers.get('access-control-max-age')).toBe('600')
  })

  it('when the Authorization scheme is lower-case bearer, then it is accepted', async () => {
    const res = await fetch(`${srv.url}/v1/agents`, { headers: { authorization: `bearer ${srv.keys.live}` } })
    expect(res.status).toBe(200)
  })

  it('when the dev key is used, then last_used_at is recorded', async () => {
    await srv.get('/v1/agents')
    // The write is off the request path (it must not slow the request): wait for it, not for a fixed time.
    await vi.waitFor(
      () => {
        const key = srv.storage.entities.list('api_keys').find((k) => k.key_id === 'dev-key')!
        expect(key.last_used_at).toBe('2026-02-15T10:00:00.000Z')
      },
      { timeout: 10_000, interval: 20 },
    )
  })
})

describe('rate limits (api.md §1.7)', () => {
  it('when the query window is exceeded, then 429 with Retry-After and the limit headers', async () => {
    await srv.close()
    srv = await startTestServer({ config: { rate_limit_query_per_second: 3 } })
    const statuses = []
    let last: Response | undefined
    for (let i = 0; i < 4; i++) {
      last = await srv.get('/v1/agents')
      statuses.push(last.status)
    }
    expect(statuses).toEqual([200, 200, 200, 429])
    expect(last!.headers.get('retry-after')).toBe('1')
    expect(last!.headers.get('x-ratelimit-remaining')).toBe('0')
    expect(await last!.json()).toMatchObject({
      error: 'rate_limit_exceeded',
      details: { retry_after_seconds: 1, limit: 3, window_seconds: 1, scope: 'query' },
    })
    // Ingest has its own window.
    expect((await srv.post('/v1/ingest', { envelope: { agent_id: 'a' }, events: [] })).status).toBe(200)
  })
})
