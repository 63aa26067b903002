/** One configuration for every page (dashboard.md D4–D6). Pure functions take their inputs; `loadConfig` reads the page. */

export const PRODUCTION_ENDPOINT = 'https://mlbackend.net/loophive'
export const API_KEY_STORAGE = 'hiveboard_api_key'
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1'])

export interface HiveConfig {
  mode: 'local' | 'production'
  endpoint: string
  /** Null in production without a configured gateway URL: polling only (D5). */
  wsUrl: string | null
  pollIntervalMs: number
  agentsRefreshMs: number
  streamCap: number
}

export interface LocationLike {
  protocol: string
  hostname: string
  host: string
  origin: string
}

export interface ConfigOverrides {
  endpoint?: unknown
  wsUrl?: unknown
}

export type Logger = (message: string) => void

function validUrl(value: unknown, protocols: readonly string[]): string | null {
  if (typeof value !== 'string' || value === '') return null
  if (/[{}]/.test(value)) return null
  try {
    const url = new URL(value)
    return protocols.includes(url.protocol) ? value.replace(/\/+$/, '') : null
  } catch {
    return null
  }
}

export function wsFromEndpoint(endpoint: string): string {
  const url = new URL(endpoint)
  const proto = url.protocol === 'https:' ? 'wss:' : 'ws:'
  return `${proto}//${url.host}${url.pathname.replace(/\/+$/, '')}/v1/stream`
}

export function detectConfig(
  loc: LocationLike,
  overrides: ConfigOverrides | null | undefined,
  log: Logger,
): HiveConfig {
  const local = LOCAL_HOSTS.has(loc.hostname)
  let endpoint = local ? loc.origin : PRODUCTION_ENDPOINT
  let wsUrl: string | null = local ? wsFromEndpoint(loc.origin) : null
  if (overrides !== null && overrides !== undefined) {
    if (overrides.endpoint !== undefined && overrides.endpoint !== '') {
      const ok = validUrl(overrides.endpoint, ['http:', 'https:'])
      if (ok === null) log(`HIVEBOARD_CONFIG.endpoint ignored: ${JSON.stringify(overrides.endpoint)}`)
      else {
        endpoint = ok
        if (local) wsUrl = wsFromEndpoint(ok)
      }
    }
    if (overrides.wsUrl !== undefined && overrides.wsUrl !== '') {
      const ok = validUrl(overrides.wsUrl, ['ws:', 'wss:'])
      if (ok === null) log(`HIVEBOARD_CONFIG.wsUrl ignored: ${JSON.stringify(overrides.wsUrl)}`)
      else wsUrl = ok
    }
  }
  return {
    mode: local ? 'local' : 'production',
    endpoint,
    wsUrl,
    pollIntervalMs: 5000,
    agentsRefreshMs: 15000,
    streamCap: 1000,
  }
}

export type Credential = { kind: 'key'; key: string } | { kind: 'session'; token: string } | { kind: 'none' }

export const API_KEY_PATTERN = /^hb_(live|test|read)_[A-Za-z0-9_-]+$/

export interface StorageLike {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}

export interface CredentialResult {
  credential: Credential
  /** The address without `apiKey`, when it had one (for `history.replaceState`). */
  cleanUrl: string | null
}

/** D9: the stored session token unless it expires within 30 s; null otherwise. */
export function validSessionToken(storage: StorageLike, nowMs: number): string | null {
  const token = storage.getItem('hb_token')
  const exp = Number(storage.getItem('hb_token_exp'))
  return token !== null && token !== '' && Number.isFinite(exp) && exp * 1000 - 30_000 > nowMs ? token : null
}

/** D6: `?apiKey=` (stored, then stripped) → the stored key → a valid session (D9; D64 Beyond) → none. */
export function resolveCredential(href: string, storage: StorageLike, nowMs: number): CredentialResult {
  const url = new URL(href)
  let cleanUrl: string | null = null
  const fromUrl = url.searchParams.get('apiKey')
  if (fromUrl !== null) {
    url.searchParams.delete('apiKey')
    cleanUrl = url.pathname + (url.search === '?' ? '' : url.search) + url.hash
    if (API_KEY_PATTERN.test(fromUrl)) storage.setItem(API_KEY_STORAGE, fromUrl)
  }
  const stored = storage.getItem(API_KEY_STORAGE)
  if (stored !== null && stored !== '') return { credential: { kind: 'key', key: stored }, cleanUrl }
  const token = validSessionToken(storage, nowMs)
  if (token !== null) return { credential: { kind: 'session', token }, cleanUrl }
  return { credential: { kind: 'none' }, cleanUrl }
}

/** D9: `next` only as a path starting with a single `/`, else `/home.html`. */
export function safeNext(next: string | null | undefined): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) {
    return '/home.html'
  }
  return next
}

export function loginUrl(pathAndQuery: string, reason?: string): string {
  const params = new URLSearchParams({ next: pathAndQuery })
  if (reason !== undefined) params.set('reason', reason)
  return `/login.html?${params.toString()}`
}

export function credentialToken(c: Credential): string | null {
  return c.kind === 'key' ? c.key : c.kind === 'session' ? c.token : null
}

declare global {
  interface Window {
    HIVEBOARD_CONFIG?: ConfigOverrides
  }
}

export function loadConfig(): HiveConfig {
  return detectConfig(window.location, window.HIVEBOARD_CONFIG, (m) => console.warn(m))
}
