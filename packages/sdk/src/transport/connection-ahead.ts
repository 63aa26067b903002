import { createConnection } from 'node:net'
import type { Duplex } from 'node:stream'
import {
  connect as tlsConnect,
  createSecureContext,
  type ConnectionOptions,
  type SecureContext,
  type TLSSocket,
} from 'node:tls'
import { nextTurn, safeSetTimeout } from './timers.js'

// NOTE: opening a connection is the costliest piece of work of a request, and the first one of a process costs most
// (Node compiles its TCP, TLS and agent code). It is done ahead of the request, one piece per event-loop turn: the TCP
// connection, then (https:) its TLS layer, then the batch is built and sent (README "Performance").

let defaultSecureContext: SecureContext | undefined

/**
 * The TLS context of every https: connection of the process: the default one (Node's root certificates and
 * NODE_EXTRA_CA_CERTS) costs ~1 ms to build, so it is built once, by the warm-up when it can, instead of once per
 * connection as `tls.connect` would.
 */
export function sharedSecureContext(): SecureContext {
  return (defaultSecureContext ??= createSecureContext())
}

/** A name rather than an IP literal (the URL parser writes IPv4 as dotted digits and IPv6 in brackets). */
export function isHostName(hostname: string): boolean {
  return hostname !== '' && !hostname.startsWith('[') && !/^[\d.]+$/.test(hostname)
}

const swallow = (): void => undefined

/** How long a request waits for the TLS handshake of its pre-opened connection before it goes ahead anyway. */
const HANDSHAKE_WAIT_MS = 2_000

/**
 * Resolves when the handshake is done or failed (or after HANDSHAKE_WAIT_MS), so that the handshake's end (the
 * certificate checks) and the request's start run on different turns.
 */
function handshake(socket: TLSSocket): Promise<void> {
  return new Promise((resolve) => {
    const timer = safeSetTimeout(done, HANDSHAKE_WAIT_MS)
    function done(): void {
      clearTimeout(timer)
      socket.off('secureConnect', done).off('close', done)
      resolve()
    }
    socket.once('secureConnect', done).once('close', done)
  })
}

/** Connections opened ahead of the requests that will use them, for one sender. */
export class ConnectionAhead {
  /** The next connection, until the agent takes it. */
  private next: Duplex | undefined
  private opening = false
  /** Bumped by close(): an opening that started before stops at its next piece. */
  private generation = 0

  /** The last TLS session of a pre-opened connection: the next handshake resumes it (what Node's agent does too). */
  private tlsSession: Buffer | undefined

  /**
   * `connect` replaces the http: connections (the warm-up's in-memory socket); `secureContext` the shared one (tests
   * that trust their own certificate).
   */
  constructor(private readonly options: { connect?: () => Duplex; secureContext?: SecureContext } = {}) {}

  get secureContext(): SecureContext {
    return this.options.secureContext ?? sharedSecureContext()
  }

  /**
   * Opens a connection to `url`'s host unless `alreadyConnected` or one is opening: TCP on the next turn, TLS (https:)
   * on the one after. Resolves on the turn after the last piece, so the caller's next piece of work has a turn of its
   * own. A failed connection is not reported here: the request opens another one and reports its error.
   */
  open(url: URL, alreadyConnected: boolean): Promise<void> | undefined {
    if (alreadyConnected || this.opening || this.next !== undefined) return undefined
    this.opening = true
    const generation = this.generation
    const current = (): boolean => generation === this.generation
    return nextTurn()
      .then(async () => {
        if (!current()) return
        const https = url.protocol === 'https:'
        const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname
        const port = Number(url.port || (https ? 443 : 80))
        const inMemory = https ? undefined : this.options.connect?.()
        const tcp = inMemory ?? createConnection({ host, port, noDelay: true, keepAlive: true })
        tcp.on('error', swallow) // until the agent takes it
        this.next = tcp
        await nextTurn()
        if (!https || !current() || this.next !== tcp || tcp.destroyed) return
        const secured = this.secure(tcp, url.hostname, host)
        this.next = secured
        await handshake(secured)
        await nextTurn()
      })
      .finally(() => {
        if (current()) this.opening = false
      })
  }

  /** The pre-opened connection, once (undefined when there is none or it failed). */
  take(): Duplex | undefined {
    const socket = this.next
    this.next = undefined
    return socket !== undefined && !socket.destroyed ? socket : undefined
  }

  close(): void {
    this.generation++
    this.opening = false
    this.next?.destroy()
    this.next = undefined
  }

  /**
   * The TLS connections of the sender's https agent: the ones opened ahead, and the agent's own (when there was none,
   * or a kept-alive one was found closed) with the agent's options. All share the context and resume the last session.
   */
  tlsConnect(options: ConnectionOptions): TLSSocket {
    const secured = tlsConnect({
      ...options,
      secureContext: this.secureContext,
      ...(this.tlsSession !== undefined ? { session: this.tlsSession } : {}),
    })
    secured.on('session', (session: Buffer) => (this.tlsSession = session))
    secured.on('error', () => (this.tlsSession = undefined))
    return secured
  }

  private secure(tcp: Duplex, urlHostname: string, host: string): TLSSocket {
    // SNI carries names only, as Node's https agent does
    return this.tlsConnect({ socket: tcp, host, ...(isHostName(urlHostname) ? { servername: host } : {}) })
  }
}
