import type { SendResult } from './classify.js'

export interface SendRequest {
  url: string
  headers: Record<string, string>
  body: string | Uint8Array
  timeoutMs: number
  signal: AbortSignal
}

/** The HTTP seam. Never rejects: failures come back as `{kind: 'error'}`. */
export interface HttpSender {
  send(request: SendRequest): Promise<SendResult>
}

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>

export class FetchSender implements HttpSender {
  constructor(private readonly fetchImpl: FetchLike) {}

  async send(request: SendRequest): Promise<SendResult> {
    const signal = AbortSignal.any([AbortSignal.timeout(Math.max(1, request.timeoutMs)), request.signal])
    try {
      const response = await this.fetchImpl(request.url, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
        signal,
      })
      let body = ''
      try {
        body = await response.text()
      } catch {
        // an unreadable body does not change the status
      }
      return { kind: 'response', status: response.status, retryAfter: response.headers.get('retry-after'), body }
    } catch (error) {
      const name = (error as { name?: unknown } | null)?.name
      if (name === 'TimeoutError') return { kind: 'error', error: 'timeout' }
      if (name === 'AbortError') return { kind: 'error', error: 'aborted' }
      const cause = (error as { cause?: { code?: unknown } } | null)?.cause?.code
      return { kind: 'error', error: typeof cause === 'string' ? cause : String(error) }
    }
  }
}
