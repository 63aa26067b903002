import { promisify } from 'node:util'
import { gzip as gzipCb } from 'node:zlib'
import { USER_AGENT } from '../version.js'
import { classifyResponse, type Outcome, type SendResult } from './classify.js'
import { bodyBuffer, type BodyParts } from './queue.js'

const gzip = promisify(gzipCb)
const GZIP_MIN_BYTES = 16 * 1024

export interface SendRequest {
  url: string
  headers: Record<string, string>
  /** BodyParts: a JSON body in pieces with its exact byte length (the transport's plain bodies). */
  body: string | Uint8Array | BodyParts
  timeoutMs: number
  signal: AbortSignal
}

/** The HTTP seam. Never rejects: failures come back as `{kind: 'error'}`. */
export interface HttpSender {
  send(request: SendRequest): Promise<SendResult>
  /**
   * Opens the connection the next request to `url` will need, if there is none, on event-loop turns of its own.
   * Resolves when it is open (or failed: the request reports that); undefined when there is nothing to wait for.
   */
  connectAhead?(url: string): Promise<void> | undefined
  /** Releases idle connections at shutdown. */
  close?(): void
}

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>

export class FetchSender implements HttpSender {
  constructor(private readonly fetchImpl: FetchLike) {}

  async send(request: SendRequest): Promise<SendResult> {
    const signal = AbortSignal.any([AbortSignal.timeout(Math.max(1, request.timeoutMs)), request.signal])
    try {
      const payload = request.body
      const response = await this.fetchImpl(request.url, {
        method: 'POST',
        headers: request.headers,
        // a plain body stays a string, as an injected fetch has always been given
        body:
          typeof payload === 'string' || payload instanceof Uint8Array ? payload : bodyBuffer(payload).toString('utf8'),
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

/** One POST of a batch body: headers, optional gzip (thread pool), send, classify. Never rejects. */
export async function postBatch(
  sender: HttpSender,
  r: { url: string; apiKey: string; body: BodyParts; useGzip: boolean; timeoutMs: number; signal: AbortSignal },
): Promise<{ outcome: Outcome; gzipped: boolean }> {
  const headers: Record<string, string> = {
    authorization: `Bearer ${r.apiKey}`,
    'content-type': 'application/json',
    'user-agent': USER_AGENT,
  }
  let payload: BodyParts | Uint8Array = r.body
  let gzipped = false
  if (r.useGzip && r.body.bytes >= GZIP_MIN_BYTES) {
    try {
      payload = new Uint8Array(await gzip(bodyBuffer(r.body)))
      headers['content-encoding'] = 'gzip'
      gzipped = true
    } catch {
      payload = r.body
    }
  }
  const result = await sender.send({ url: r.url, headers, body: payload, timeoutMs: r.timeoutMs, signal: r.signal })
  return { outcome: classifyResponse(result, gzipped), gzipped }
}
