import { ClientRequest, OutgoingMessage, validateHeaderName, validateHeaderValue, type Agent } from 'node:http'
import { isIP, isIPv4, Socket } from 'node:net'
import { Duplex } from 'node:stream'
import { gzip } from 'node:zlib'
import { checkServerIdentity, TLSSocket, type PeerCertificate } from 'node:tls'
import { isHostName, sharedSecureContext } from './connection-ahead.js'
import { Log } from '../log.js'
import { classifyResponse } from './classify.js'
import { NodeHttpSender } from './node-http-sender.js'
import { Transport } from './transport.js'

// TRICKY: the first request of a process costs several ms of main-thread CPU: V8 compiles Node's HTTP client, agent,
// stream and parser code (and a few regular expressions) on first use. The warm-up runs one request through the SDK's
// own sender and keep-alive agent over an in-memory socket, so the first flush does not pay that, and sends nothing:
// init() still does no network I/O (sdk.md §3.2). It is cut into steps, one per event-loop turn, so that no turn
// blocks the host for long (each step measured under 1 ms; README "Performance").

/** Never connected: the agent's createConnection returns the in-memory socket. An IP literal, so no name lookup. */
const WARM_UP_URL = 'http://127.0.0.1/v1/ingest'
const REPLY_HEAD = 'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n'
const REPLY_BODY = '{}'

// NOTE: one warm-up per process is enough; compiled code is shared by every client (a second ESM/CJS copy warms once
// more, which is harmless).
let warmed = false

/** Runs each step on its own event-loop turn (unref'd: the warm-up never holds the process open). */
function onePerTurn(steps: readonly (() => void)[], onError: () => void): void {
  let index = 0
  const next = (): void => {
    try {
      steps[index++]?.()
    } catch {
      onError()
      return
    }
    if (index < steps.length) setImmediate(next).unref()
  }
  setImmediate(next).unref()
}

/**
 * A socket that answers one request in memory. The reply's head and body arrive on separate later turns, so the
 * response parsing is also cut in two. The no-op methods are the ones the keep-alive agent calls on a net.Socket.
 */
function inMemorySocket(): Duplex {
  let replied = false
  const socket = new Duplex({
    read() {},
    write(chunk: Buffer | string, _encoding, callback) {
      // the request is complete once its body (an empty batch) is in
      if (!replied && String(chunk).endsWith(']}')) {
        replied = true
        onePerTurn(
          [
            () => socket.push(REPLY_HEAD),
            () => {
              socket.push(REPLY_BODY)
              socket.push(null)
            },
          ],
          () => socket.destroy(),
        )
      }
      callback()
    },
  })
  const self = (): Duplex => socket
  return Object.assign(socket, { setKeepAlive: self, setNoDelay: self, setTimeout: self, ref: self, unref: self })
}

/**
 * Schedules the warm-up, once per process (for the first client's endpoint and compression). Never throws, never
 * touches the network. Resolves true when the in-memory request got its 200 (false on failure, or when an earlier call
 * already warmed up).
 */
export function warmHttpClient(endpoint = '', gzips = false): Promise<boolean> {
  if (warmed) return Promise.resolve(false)
  warmed = true
  // even the steps are built a turn later: the host's constructor call only schedules
  return new Promise((resolve) => {
    const build = (): void => {
      // an https: client's connections share one TLS context (building it loads the root certificates), and its first
      // one compiles Node's TLS socket code: a TLS socket around a TCP handle that is never opened (no file
      // descriptor, no I/O) compiles most of it
      const tlsSteps = endpoint.startsWith('https:')
        ? [sharedSecureContext, unopenedTlsSocket, () => checksServerIdentity(endpoint)]
        : []
      const steps = warmUpSteps(tlsSteps, resolve)
      // the first gzip of a process sets up Node's zlib stream code; an empty buffer, on the thread pool like a body's
      if (gzips) steps.unshift(() => gzip(Buffer.alloc(0), noop))
      // connecting to a host name tests it against Node's IPv6 pattern first: ~3 ms to compile, ~1 ms more when V8
      // tiers it up on the next use; two turns here instead of the first flush (the default endpoint is a name)
      if (endpointIsHostName(endpoint)) steps.unshift(testsAsIp, testsAsIp)
      onePerTurn(steps, () => resolve(false))
    }
    onePerTurn([build], noop)
  })
}

const noop = (): void => undefined

/**
 * TRICKY: no socket is how `tls.connect()` itself builds a TLS socket before it connects (Node's `TLSSocket` then
 * creates the TCP handle); the public typings only allow a socket, hence the cast. Nothing is connected.
 */
function unopenedTlsSocket(): void {
  const noSocket = undefined as unknown as Socket
  new TLSSocket(noSocket, { secureContext: sharedSecureContext() }).destroy()
}

/** The check every handshake ends with, against a certificate made up here (it matches, so nothing is thrown). */
function checksServerIdentity(endpoint: string): void {
  // a name only when the endpoint is one: testing a name compiles the IPv6 pattern (warmed on turns of its own then)
  const host = endpointIsHostName(endpoint) ? 'warm-up.invalid' : '127.0.0.1'
  const certificate = { subject: { CN: host }, subjectaltname: 'DNS:warm-up.invalid, IP Address:127.0.0.1' }
  // TRICKY: checkServerIdentity reads only these two fields of the certificate it is given
  void checkServerIdentity(host, certificate as unknown as PeerCertificate)
}

/**
 * The methods Node's agent calls on a real connection when it keeps it alive; on a socket that was never connected
 * they only record the setting (no I/O).
 */
function keepAliveSettings(): void {
  const socket = new Socket()
  socket.setNoDelay(true).setKeepAlive(true, 1_000).setTimeout(30_000).setTimeout(0).unref().ref()
  socket.destroy()
}
const testsAsIp = (): void => void isIP('warm-up.invalid')

/** Whether the endpoint's host is a name (its connections look it up), not an IP literal. */
function endpointIsHostName(endpoint: string): boolean {
  try {
    return isHostName(new URL(endpoint).hostname)
  } catch {
    return false
  }
}

/**
 * A request that sends nothing: through an agent that never connects (only addRequest is called), or given an
 * in-memory socket of its own.
 */
function inertRequest(socket?: () => Duplex): ClientRequest {
  const inert = { addRequest: noop } as unknown as Agent
  const headers = { 'content-type': 'application/json', 'content-length': '2' }
  // TRICKY: with no agent at all, not `agent: false` (that makes a new Agent, which would connect for real)
  const connection = socket === undefined ? { agent: inert } : { createConnection: socket }
  return new ClientRequest({ host: '127.0.0.1', path: '/v1/ingest', method: 'POST', headers, ...connection }).on(
    'error',
    noop,
  )
}

/** The steps, one per turn; the last sends the in-memory request and resolves when it is answered. */
function warmUpSteps(tlsSteps: (() => void)[], resolve: (warmed: boolean) => void): (() => void)[] {
  const sender = new NodeHttpSender({ connect: inMemorySocket })
  let unattached: ClientRequest | undefined
  let transport: Transport | undefined
  return [
    // small pieces first, so the request's own turns compile less at once
    () => {
      const signal = new AbortController().signal
      signal.addEventListener('abort', noop, { once: true })
      signal.removeEventListener('abort', noop)
    },
    () => {
      validateHeaderName('content-type')
      validateHeaderValue('content-type', 'application/json')
    },
    () => isIPv4('127.0.0.1'),
    () => new OutgoingMessage(),
    () => new Socket().destroy(), // the first flush's connection is a net.Socket
    keepAliveSettings,
    ...tlsSteps, // after it: a TLS socket is one too
    () => void inertRequest().destroy(), // the ClientRequest constructor on a turn of its own
    () => {
      // the request head is built and kept for a socket that never comes (nothing is written anywhere)
      const request = inertRequest()
      request.flushHeaders()
      request.destroy()
    },
    // a request given an in-memory socket and no agent sets up its response parser (destroyed unsent a turn later)
    () => void (unattached = inertRequest(inMemorySocket)),
    () => unattached?.destroy(),
    () => classifyResponse({ kind: 'response', status: 200, retryAfter: null, body: '{}' }, false), // a reply's outcome
    () => {
      // one event through a transport of its own (queue, batch, body, request, settling) over the in-memory socket
      transport = new Transport({
        url: WARM_UP_URL,
        apiKey: 'hb_warm_up',
        batchSize: 100,
        maxQueueSize: 10,
        maxQueueBytes: 1 << 20,
        maxBatchBytes: 1 << 20,
        flushIntervalMs: 3_600_000,
        requestTimeoutMs: 10_000,
        maxRetries: 0,
        compression: 'none',
        sender,
        log: new Log(false, false),
      })
      transport.enqueue({ json: '{"agent_id":"warm-up"}', agentId: 'warm-up' }, ['{}'])
    },
    () => {
      const warming = transport as Transport // set by the step before
      void warming.flush({ timeoutMs: 10_000 }).then(({ sent }) => {
        // the kept-alive in-memory socket is freed a turn later, after the agent's keep-alive handling ran
        setImmediate(() => void warming.shutdown({ timeoutMs: 0 })).unref()
        resolve(sent === 1)
      })
    },
  ]
}
