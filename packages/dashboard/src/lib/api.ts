/** The one API function (dashboard.md D10, D11). Rejects with ApiError, never resolves null. */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> | null = null,
    readonly retryAfter: number | null = null,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

export type Query = Record<string, string | number | boolean | null | undefined | readonly string[]>

export function buildUrl(endpoint: string, path: string, query: Query = {}): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) {
    if (v === null || v === undefined) continue
    if (Array.isArray(v)) {
      if (v.length > 0) q.set(k, v.join(','))
    } else q.set(k, String(v))
  }
  const text = q.toString()
  return `${endpoint}${path}${text === '' ? '' : `?${text}`}`
}

/** Maps a failed response body to an ApiError (api.md §1.3 envelope). */
export function errorFromEnvelope(status: number, body: unknown, retryAfter: number | null): ApiError {
  if (body !== null && typeof body === 'object') {
    const b = body as { error?: unknown; message?: unknown; details?: unknown }
    const code = typeof b.error === 'string' ? b.error : `http_${status}`
    const message = typeof b.message === 'string' ? b.message : `Request failed (${status})`
    const details = b.details !== null && typeof b.details === 'object' ? (b.details as Record<string, unknown>) : null
    return new ApiError(status, code, message, details, retryAfter)
  }
  return new ApiError(status, `http_${status}`, `Request failed (${status})`, null, retryAfter)
}

/** Median of the last five server-minus-client offsets (D11). */
export class ServerClock {
  private offsets: number[] = []
  observe(dateHeader: string | null, clientNow: number): void {
    if (dateHeader === null) return
    const t = Date.parse(dateHeader)
    if (Number.isNaN(t)) return
    this.offsets.push(t - clientNow)
    if (this.offsets.length > 5) this.offsets.shift()
  }
  offset(): number {
    if (this.offsets.length === 0) return 0
    const sorted = [...this.offsets].sort((a, b) => a - b)
    return sorted[Math.floor(sorted.length / 2)] ?? 0
  }
  now(): number {
    return Date.now() + this.offset()
  }
}

export interface ApiClientOptions {
  endpoint: string
  token: () => string | null
  onUnauthorized?: (error: ApiError) => void
  fetchImpl?: typeof fetch
}

export interface RequestOptions {
  signal?: AbortSignal
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'
  body?: unknown
}

const MAX_IN_FLIGHT = 6

export class ApiClient {
  readonly clock = new ServerClock()
  private inFlight = 0
  private waiting: (() => void)[] = []
  private stamps: number[] = []

  constructor(private readonly options: ApiClientOptions) {}

  async get<T>(path: string, query: Query = {}, opts: RequestOptions = {}): Promise<T> {
    return this.request<T>(path, query, opts)
  }

  async request<T>(path: string, query: Query = {}, opts: RequestOptions = {}, retried = false): Promise<T> {
    await this.slot()
    let response: Response
    try {
      const headers: Record<string, string> = { accept: 'application/json' }
      const token = this.options.token()
      if (token !== null) headers.authorization = `Bearer ${token}`
      if (opts.body !== undefined) headers['content-type'] = 'application/json'
      const init: RequestInit = { method: opts.method ?? 'GET', headers }
      if (opts.signal !== undefined) init.signal = opts.signal
      if (opts.body !== undefined) init.body = JSON.stringify(opts.body)
      response = await (this.options.fetchImpl ?? fetch)(buildUrl(this.options.endpoint, path, query), init)
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') throw new ApiError(0, 'aborted', 'Aborted')
      throw new ApiError(0, 'network_error', "Can't reach HiveBoard")
    } finally {
      this.release()
    }
    this.clock.observe(response.headers.get('date'), Date.now())
    const body: unknown = await response.json().catch(() => null)
    if (response.ok) return body as T
    const retryAfter = Number(response.headers.get('retry-after'))
    const error = errorFromEnvelope(response.status, body, Number.isFinite(retryAfter) ? retryAfter : null)
    if (response.status === 429 && !retried) {
      await new Promise((r) => setTimeout(r, Math.min(30, error.retryAfter ?? 1) * 1000))
      return this.request<T>(path, query, opts, true)
    }
    if (response.status === 401) this.options.onUnauthorized?.(error)
    throw error
  }

  private async slot(): Promise<void> {
    while (this.inFlight >= MAX_IN_FLIGHT) await new Promise<void>((r) => this.waiting.push(r))
    const now = Date.now()
    this.stamps = this.stamps.filter((t) => now - t < 1000)
    if (this.stamps.length >= 20) await new Promise((r) => setTimeout(r, 1000 - (now - (this.stamps[0] ?? now))))
    this.stamps.push(Date.now())
    this.inFlight++
  }

  private release(): void {
    this.inFlight--
    this.waiting.shift()?.()
  }
}
