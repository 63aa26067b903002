import { describe, expect, it, vi } from 'vitest'
import {
  detectConfig,
  loginUrl,
  PRODUCTION_ENDPOINT,
  resolveCredential,
  safeNext,
  type StorageLike,
} from '../src/lib/config.js'

const loc = (origin: string) => {
  const u = new URL(origin)
  return { protocol: u.protocol, hostname: u.hostname, host: u.host, origin: u.origin }
}

function memory(init: Record<string, string> = {}): StorageLike & { data: Map<string, string> } {
  const data = new Map(Object.entries(init))
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  }
}

describe('detectConfig (D4, D5)', () => {
  it('when on localhost, then the endpoint is the origin and the socket derives from it', () => {
    const c = detectConfig(loc('http://localhost:8000'), undefined, () => {})
    expect(c).toMatchObject({
      mode: 'local',
      endpoint: 'http://localhost:8000',
      wsUrl: 'ws://localhost:8000/v1/stream',
    })
    expect(c).toMatchObject({ pollIntervalMs: 5000, agentsRefreshMs: 15000, streamCap: 1000 })
  })

  it('when on 127.0.0.1 or [::1] over https, then local with wss', () => {
    expect(detectConfig(loc('https://127.0.0.1:9443'), null, () => {}).wsUrl).toBe('wss://127.0.0.1:9443/v1/stream')
    expect(detectConfig(loc('http://[::1]:8000'), null, () => {}).mode).toBe('local')
  })

  it('when elsewhere, then the production endpoint and no socket without config.js', () => {
    const c = detectConfig(loc('https://dashboard.example.com'), { endpoint: '', wsUrl: '' }, () => {})
    expect(c).toMatchObject({ mode: 'production', endpoint: PRODUCTION_ENDPOINT, wsUrl: null })
  })

  it('when config.js sets values, then they replace the detected ones', () => {
    const c = detectConfig(
      loc('https://dashboard.example.com'),
      { endpoint: 'https://api.example.com/hb/', wsUrl: 'wss://abc123.execute-api.eu-west-1.amazonaws.com/production' },
      () => {},
    )
    expect(c.endpoint).toBe('https://api.example.com/hb')
    expect(c.wsUrl).toBe('wss://abc123.execute-api.eu-west-1.amazonaws.com/production')
  })

  it('when config.js values are invalid or placeholders, then they are logged and ignored', () => {
    const log = vi.fn()
    const c = detectConfig(
      loc('https://dashboard.example.com'),
      { endpoint: 'javascript:alert(1)', wsUrl: 'wss://{api-id}.execute-api.x.amazonaws.com/production' },
      log,
    )
    expect(c.endpoint).toBe(PRODUCTION_ENDPOINT)
    expect(c.wsUrl).toBeNull()
    expect(log).toHaveBeenCalledTimes(2)
  })
})

describe('resolveCredential (D6)', () => {
  const now = Date.parse('2026-02-15T10:00:00Z')

  it('when ?apiKey= is present, then it is stored and removed from the URL, other parameters kept', () => {
    const s = memory({ hiveboard_api_key: 'hb_live_old' })
    const r = resolveCredential('http://localhost/static/index.html?view=agent&apiKey=hb_read_abc&agent=x#h', s, now)
    expect(r.credential).toEqual({ kind: 'key', key: 'hb_read_abc' })
    expect(r.cleanUrl).toBe('/static/index.html?view=agent&agent=x#h')
    expect(s.data.get('hiveboard_api_key')).toBe('hb_read_abc')
  })

  it('when ?apiKey= is not a key, then it is stripped but not stored', () => {
    const s = memory()
    const r = resolveCredential('http://localhost/static/index.html?apiKey=nope', s, now)
    expect(r.cleanUrl).toBe('/static/index.html')
    expect(r.credential.kind).toBe('none')
  })

  it('when a key is stored, then it wins over a session', () => {
    const s = memory({ hiveboard_api_key: 'hb_live_x', hb_token: 'jwt', hb_token_exp: String(now / 1000 + 3600) })
    expect(resolveCredential('http://localhost/', s, now).credential).toEqual({ kind: 'key', key: 'hb_live_x' })
  })

  it('when ?apiKey= comes with a valid session, then the key is stored and used (D6 order)', () => {
    const s = memory({ hb_token: 'jwt', hb_token_exp: String(now / 1000 + 3600) })
    const r = resolveCredential('http://localhost/static/index.html?apiKey=hb_test_abc', s, now)
    expect(r.credential).toEqual({ kind: 'key', key: 'hb_test_abc' })
    expect(s.data.get('hiveboard_api_key')).toBe('hb_test_abc')
  })

  it('when only a session is stored, then it is used unless it expires within 30 s', () => {
    const fresh = memory({ hb_token: 'jwt', hb_token_exp: String(now / 1000 + 31) })
    expect(resolveCredential('http://localhost/', fresh, now).credential).toEqual({ kind: 'session', token: 'jwt' })
    const expiring = memory({ hb_token: 'jwt', hb_token_exp: String(now / 1000 + 29) })
    expect(resolveCredential('http://localhost/', expiring, now).credential.kind).toBe('none')
  })

  it('when nothing is stored, then none', () => {
    expect(resolveCredential('https://x.example/', memory(), now)).toEqual({
      credential: { kind: 'none' },
      cleanUrl: null,
    })
  })
})

describe('next handling (D9)', () => {
  it.each([
    ['/static/index.html?view=task&task=t1', '/static/index.html?view=task&task=t1'],
    ['/home.html#keys', '/home.html#keys'],
    ['//evil.example/x', '/home.html'],
    ['/\\evil.example', '/home.html'],
    ['https://evil.example/', '/home.html'],
    ['javascript:alert(1)', '/home.html'],
    ['', '/home.html'],
    [null, '/home.html'],
  ])('safeNext(%j) → %s', (input, expected) => {
    expect(safeNext(input)).toBe(expected)
  })

  it('loginUrl carries next and a reason', () => {
    expect(loginUrl('/static/index.html?view=cost', 'key_rejected')).toBe(
      '/login.html?next=%2Fstatic%2Findex.html%3Fview%3Dcost&reason=key_rejected',
    )
  })
})
