import { afterEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../src/clock.js'
import { ingestBody, startTestServer, type TestServer } from '../src/testing/index.js'
import { call, JWT_SECRET, login, seedUser } from './helpers/accounts.js'

let srv: TestServer | undefined
afterEach(async () => {
  await srv?.close()
  srv = undefined
})

describe('per-principal rate limits (api.md §1.7)', () => {
  it('when a principal exceeds its query window, then 429 with Retry-After and X-RateLimit-*; ingest is separate', async () => {
    const clock = new ManualClock('2026-02-15T10:00:00Z')
    srv = await startTestServer({ clock, config: { rate_limit_query_per_second: 3, rate_limit_ingest_per_second: 2 } })
    const s = srv
    const query = () => call(s, 'GET', '/v1/agents', { token: s.keys.live })
    const first = await query()
    expect(first.headers.get('x-ratelimit-limit')).toBe('3')
    expect(first.headers.get('x-ratelimit-remaining')).toBe('2')
    expect(first.headers.get('x-ratelimit-reset')).toBe(String(Math.ceil((clock.now() + 1000) / 1000)))
    await query()
    expect((await query()).headers.get('x-ratelimit-remaining')).toBe('0')
    const limited = await query()
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('1')
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0')
    expect(limited.body).toEqual({
      error: 'rate_limit_exceeded',
      message: expect.any(String),
      status: 429,
      details: { retry_after_seconds: 1, limit: 3, window_seconds: 1, scope: 'query' },
    })
    const ingest = await call(s, 'POST', '/v1/ingest', { token: s.keys.live, body: ingestBody(1) })
    expect(ingest.status).toBe(200)
    expect(ingest.headers.get('x-ratelimit-limit')).toBe('2')
    const slash = await call(s, 'POST', '/v1/ingest/', { token: s.keys.live, body: ingestBody(1) })
    expect(slash.headers.get('x-ratelimit-remaining')).toBe('0')
    expect((await call(s, 'POST', '/v1/ingest', { token: s.keys.live, body: ingestBody(1) })).status).toBe(429)
    expect((await call(s, 'GET', '/v1/agents', { token: s.keys.read })).status).toBe(200)
    clock.advance(1000)
    expect((await query()).status).toBe(200)
  })

  it('when a JWT user is over the limit, then 429 too: every authenticated route is limited', async () => {
    srv = await startTestServer({ config: { rate_limit_query_per_second: 2, jwt_secret: JWT_SECRET } })
    const { user, password } = await seedUser(srv, 'viewer')
    const token = await login(srv, user.email, password)
    const statuses = []
    for (let i = 0; i < 3; i++) statuses.push((await call(srv, 'GET', '/v1/users/me', { token })).status)
    expect(statuses).toEqual([200, 200, 429])
  })

  it('when a request is unauthenticated, then it carries no rate-limit headers and is not counted', async () => {
    srv = await startTestServer({ config: { rate_limit_query_per_second: 1 } })
    const res = await call(srv, 'GET', '/v1/agents', { token: 'hb_live_00000000000000000000000000000000' })
    expect(res.status).toBe(401)
    expect(res.headers.get('x-ratelimit-limit')).toBeNull()
  })
})

describe('per-IP throttling of public auth routes (api.md §1.7 Beyond)', () => {
  it('when one address guesses passwords, then the 11th login in a minute is 429 until the window moves', async () => {
    const clock = new ManualClock('2026-02-15T10:00:00Z')
    srv = await startTestServer({ clock, ipLimits: { authPerMinute: 10, checkSlugPerMinute: 60 } })
    const s = srv
    const attempt = () =>
      call(s, 'POST', '/v1/auth/login', { body: { email: 'victim@example.com', password: 'guess-guess' } })
    for (let i = 0; i < 10; i++) expect((await attempt()).status).toBe(401)
    const limited = await attempt()
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('60')
    expect(limited.body.details).toMatchObject({ limit: 10, window_seconds: 60, scope: 'login' })
    expect((await call(s, 'POST', '/v1/auth/register', { body: {} })).status).toBe(400)
    clock.advance(60_000)
    expect((await attempt()).status).toBe(401)
  })

  it('when trust_proxy is on, then the first X-Forwarded-For hop is the client; off, the header is ignored', async () => {
    srv = await startTestServer({
      config: { trust_proxy: true },
      ipLimits: { authPerMinute: 1, checkSlugPerMinute: 1 },
    })
    const s = srv
    const slug = (ip: string) =>
      call(s, 'GET', '/v1/auth/check-slug?slug=x', { headers: { 'x-forwarded-for': `${ip}, 10.0.0.1` } })
    expect((await slug('203.0.113.1')).status).toBe(200)
    expect((await slug('203.0.113.1')).status).toBe(429)
    expect((await slug('203.0.113.2')).status).toBe(200)
    await s.close()
    srv = await startTestServer({ ipLimits: { authPerMinute: 1, checkSlugPerMinute: 1 } })
    const t = srv
    const plain = (ip: string) => call(t, 'GET', '/v1/auth/check-slug?slug=x', { headers: { 'x-forwarded-for': ip } })
    expect((await plain('203.0.113.1')).status).toBe(200)
    expect((await plain('203.0.113.2')).status).toBe(429)
  })
})

describe('CORS and public paths (api.md §1.8, §2.5)', () => {
  it('when a browser preflights a protected route in local mode, then 204 before auth', async () => {
    srv = await startTestServer()
    const res = await fetch(`${srv.url}/v1/auth/invite`, { method: 'OPTIONS', headers: { origin: 'http://x.test' } })
    expect(res.status).toBe(204)
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
    expect(res.headers.get('access-control-allow-headers')).toContain('Authorization')
    expect(res.headers.get('access-control-expose-headers')).toContain('Retry-After')
    const denied = await call(srv, 'POST', '/v1/auth/invite', { body: {} })
    expect(denied.status).toBe(401)
    expect(denied.headers.get('access-control-allow-origin')).toBe('*')
  })

  it('when in production mode, then OPTIONS is 204 without CORS headers', async () => {
    srv = await startTestServer({ config: { mode: 'production', jwt_secret: JWT_SECRET, dev_key: '' } })
    const res = await fetch(`${srv.url}/v1/users`, { method: 'OPTIONS' })
    expect(res.status).toBe(204)
    expect(res.headers.get('access-control-allow-origin')).toBeNull()
  })

  it('when a public auth path is called with the wrong method, then 405 with Allow; near-miss paths need auth', async () => {
    srv = await startTestServer()
    const res = await call(srv, 'GET', '/v1/auth/login')
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toContain('POST')
    expect((await call(srv, 'POST', '/v1/auth/loginx', { body: {} })).status).toBe(401)
    expect((await call(srv, 'POST', '/v1/auth/change-password', { body: {} })).status).toBe(401)
  })
})
