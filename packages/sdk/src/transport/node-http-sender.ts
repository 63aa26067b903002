import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import type { ConnectionOptions, SecureContext } from 'node:tls'
import type { Duplex } from 'node:stream'
import type { SendResult } from './classify.js'
import { ConnectionAhead } from './connection-ahead.js'
import type { BodyParts } from './queue.js'
import type { HttpSender, SendRequest } from './sender.js'
import { safeSetTimeout } from './timers.js'

// NOTE: the default sender. Measured on Node 20 (README "Performance"): the synchronous part of one `fetch()` of a
// 100 KB body costs ~1 ms of main-thread CPU and the first call ~50 ms (undici loads lazily), while `http.request`
// over a keep-alive agent costs ~0.3 ms. An injected `fetch` option still goes through FetchSender.

/** Node's agent unrefs idle sockets, so a kept-alive connection never holds the process open. */
const AGENT_OPTIONS = { keepAlive: true, maxSockets: 1, scheduling: 'lifo', timeout: 30_000 } as const

/** Bodies above this are written in slices of this many characters, one per event-loop turn. */
export const WRITE_SLICE_CHARS = 64 * 1024

const RESET_CODES = new Set(['ECONNRESET', 'EPIPE'])
const EMPTY = Buffer.alloc(0)

/** The agent has a connection, busy or idle, that the next request can use. */
function hasConnections(agent: HttpAgent): boolean {
  return Object.keys(agent.sockets).length > 0 || Object.keys(agent.freeSockets).length > 0
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : String(error)
}

/** POSTs with `node:http`/`node:https` over one keep-alive connection per client. Never rejects. */
export class NodeHttpSender implements HttpSender {
  private httpAgent: HttpAgent | undefined
  private httpsAgent: HttpsAgent | undefined
  private readonly ahead: ConnectionAhead
  private readonly connect: (() => Duplex) | undefined

  /**
   * `connect` replaces the http: connections (the warm-up's in-memory socket); by default they are TCP.
   * `secureContext` replaces the process's shared TLS context (tests that trust their own certificate).
   */
  constructor(options: { connect?: () => Duplex; secureContext?: SecureContext } = {}) {
    this.ahead = new ConnectionAhead(options)
    this.connect = options.connect
  }

  /**
   * Opens the connection the next request to `url` will need, when there is none, on event-loop turns of its own
   * (ConnectionAhead). Undefined when there is nothing to wait for.
   */
  connectAhead(url: string): Promise<void> | undefined {
    const target = new URL(url)
    const agent = target.protocol === 'https:' ? this.httpsAgent : this.httpAgent
    return this.ahead.open(target, agent !== undefined && hasConnections(agent))
  }

  async send(request: SendRequest): Promise<SendResult> {
    // NOTE: the transport opens connections ahead of building a batch; this covers the other callers
    const opening = this.connectAhead(request.url)
    if (opening !== undefined) await opening
    return this.attempt(request, true)
  }

  /** Frees idle sockets; a request in flight is aborted by the transport's signal instead. */
  close(): void {
    this.ahead.close()
    this.httpAgent?.destroy()
    this.httpsAgent?.destroy()
  }

  private newHttpAgent(): HttpAgent {
    const agent = new HttpAgent(AGENT_OPTIONS)
    agent.createConnection = (options, callback) =>
      this.ahead.take() ?? this.connect?.() ?? HttpAgent.prototype.createConnection.call(agent, options, callback)
    return agent
  }

  private newHttpsAgent(): HttpsAgent {
    const agent = new HttpsAgent(AGENT_OPTIONS)
    // NOTE: TLS sessions are cached by ConnectionAhead, not by the agent, so that connections opened ahead resume them
    agent.createConnection = (options: ConnectionOptions) => this.ahead.take() ?? this.ahead.tlsConnect(options)
    return agent
  }

  private attempt(r: SendRequest, mayResend: boolean): Promise<SendResult> {
    return new Promise<SendResult>((resolve) => {
      if (r.signal.aborted) return resolve({ kind: 'error', error: 'aborted' })
      let settled = false
      let req: ClientRequest | undefined
      const stop = (): void => {
        settled = true
        clearTimeout(timer)
        r.signal.removeEventListener('abort', onAbort)
      }
      const finish = (result: SendResult): void => {
        if (settled) return
        stop()
        resolve(result)
      }
      const fail = (error: string): void => {
        finish({ kind: 'error', error })
        req?.destroy()
      }
      const onAbort = (): void => fail('aborted')
      const timer = safeSetTimeout(() => fail('timeout'), Math.max(1, r.timeoutMs))
      r.signal.addEventListener('abort', onAbort, { once: true })
      try {
        const body = r.body
        const length =
          typeof body === 'string' ? Buffer.byteLength(body) : body instanceof Uint8Array ? body.byteLength : body.bytes
        req = this.open(r.url, { ...r.headers, 'content-length': String(length) })
        const sent = req
        sent.on('response', (res: IncomingMessage) => readResponse(res, finish, fail))
        sent.on('error', (error) => {
          // TRICKY: a kept-alive socket the server closed while idle fails at once with ECONNRESET. Re-sending once on
          // a fresh connection is safe (the server dedupes on event_id) and spares a backoff for a benign race.
          if (!settled && mayResend && sent.reusedSocket && RESET_CODES.has(errorCode(error))) {
            stop()
            resolve(this.attempt(r, false))
            return
          }
          fail(errorCode(error))
        })
        // NOTE: the body is written from the next turn on: opening the request (and, the first time, the connection)
        // is one short piece of work, writing is others (README "Performance")
        setImmediate(() => writeBody(sent, r.body, () => settled))
      } catch (error) {
        fail(errorCode(error))
      }
    })
  }

  private open(url: string, headers: Record<string, string>): ClientRequest {
    const target = new URL(url)
    if (target.protocol === 'https:') {
      this.httpsAgent ??= this.newHttpsAgent()
      return httpsRequest(target, { method: 'POST', headers, agent: this.httpsAgent })
    }
    this.httpAgent ??= this.newHttpAgent()
    return httpRequest(target, { method: 'POST', headers, agent: this.httpAgent })
  }
}

/**
 * Writes a large body one piece per event-loop turn, so encoding and socket writes never block the host for long:
 * BodyParts part by part, a long string in slices that never end between the two halves of a surrogate pair.
 */
function writeBody(req: ClientRequest, body: string | Uint8Array | BodyParts, cancelled: () => boolean): void {
  if (typeof body !== 'string' && !(body instanceof Uint8Array)) {
    writeParts(req, body.parts, cancelled)
    return
  }
  if (typeof body !== 'string' || body.length <= WRITE_SLICE_CHARS) {
    req.end(body)
    return
  }
  let offset = 0
  const next = (): void => {
    if (cancelled()) return
    let end = Math.min(body.length, offset + WRITE_SLICE_CHARS)
    const last = body.charCodeAt(end - 1)
    if (end < body.length && last >= 0xd800 && last <= 0xdbff) end--
    const slice = body.slice(offset, end)
    offset = end
    if (offset >= body.length) req.end(slice)
    else {
      req.write(slice)
      setImmediate(next)
    }
  }
  next()
}

function writeParts(req: ClientRequest, parts: BodyParts['parts'], cancelled: () => boolean): void {
  let index = 0
  const next = (): void => {
    if (cancelled()) return
    const pieces = parts[index++]
    const part = pieces === undefined ? EMPTY : Buffer.concat(pieces)
    if (index >= parts.length) req.end(part)
    else {
      req.write(part)
      setImmediate(next)
    }
  }
  next()
}

function readResponse(res: IncomingMessage, finish: (r: SendResult) => void, fail: (e: string) => void): void {
  const chunks: Buffer[] = []
  res.on('data', (chunk: Buffer) => chunks.push(chunk))
  res.on('error', (error) => fail(errorCode(error)))
  res.on('close', () => {
    if (!res.complete) fail('ECONNRESET') // the connection ended mid-body
  })
  res.on('end', () => {
    const retryAfter = res.headers['retry-after']
    finish({
      kind: 'response',
      status: res.statusCode ?? 0,
      retryAfter: typeof retryAfter === 'string' ? retryAfter : null,
      body: Buffer.concat(chunks).toString('utf8'),
    })
  })
}
