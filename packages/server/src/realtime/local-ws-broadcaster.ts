import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type RawData, type WebSocket } from 'ws'
import type { Clock } from '../clock.js'
import type { Principal } from '../http/principal.js'
import type { Logger } from '../logger.js'
import type { Broadcaster, BroadcasterStats, StreamContext, StreamHost } from './broadcaster.js'
import { FanOutBroadcaster } from './fan-out-broadcaster.js'
import { LocalConnection } from './local-connection.js'
import { handleClientMessage, rateLimitedMessage, replyMessage } from './protocol.js'
import { rejectUpgrade } from './reject-upgrade.js'
import { startStatsLog } from './stats-log.js'

export const MAX_MESSAGE_BYTES = 16_384
const CLOSE_GRACE_MS = 5_000

export interface LocalWsOptions {
  clock: Clock
  logger: Logger
  maxConnectionsPerPrincipal: number
  pingIntervalMs: number
  maxBufferedBytes: number
  /** How often lagging sockets are re-checked (R23); injectable for tests. */
  bufferCheckMs?: number
  /** Beyond (R10): how often credentials are re-checked; default 60 s. */
  recheckMs?: number
}

/** `/v1/stream` on the API's own HTTP server (realtime.md §2, §4, §5). Serves nothing until attached. */
export class LocalWsBroadcaster extends FanOutBroadcaster<LocalConnection> implements Broadcaster {
  readonly kind = 'local'
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES })
  private readonly connections = new Set<LocalConnection>()
  private readonly timers: NodeJS.Timeout[] = []
  private closing: Promise<void> | undefined

  constructor(private readonly options: LocalWsOptions) {
    super(options.logger, 'stream')
  }

  attach(host: StreamHost): void {
    this.host = host
    host.server.on('upgrade', this.onUpgrade)
    const every = (ms: number, fn: () => void) => this.timers.push(setInterval(fn, ms).unref())
    every(this.options.pingIntervalMs, () => this.keepalive())
    every(this.options.bufferCheckMs ?? 1000, () => this.connections.forEach((c) => c.checkBuffer()))
    every(this.options.recheckMs ?? 60_000, () => this.recheckCredentials(host.context))
    this.timers.push(startStatsLog(this, this.options.logger))
  }

  private readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const context = this.host?.context
    const url = new URL(req.url ?? '/', 'http://localhost')
    if (context === undefined || this.closing !== undefined)
      return rejectUpgrade(socket, 503, 'not_ready', 'Server is not ready')
    if (url.pathname !== '/v1/stream') return rejectUpgrade(socket, 404, 'not_found', 'Route not found')
    const token = url.searchParams.get('token') ?? ''
    const principal = token === '' ? undefined : context.resolveCredential(token)
    if (principal !== undefined && !context.takeQuery(principal)) {
      return rejectUpgrade(socket, 429, 'rate_limit_exceeded', 'Rate limit exceeded: query requests per second')
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, token, principal, context))
  }

  private accept(ws: WebSocket, token: string, principal: Principal | undefined, context: StreamContext): void {
    // R9: the upgrade completes first so browsers can read the close code.
    if (principal === undefined) return ws.close(4001, token === '' ? 'Missing token' : 'Invalid token')
    const held = [...this.connections].filter((c) => c.principal.limitKey === principal.limitKey).length
    if (held >= this.options.maxConnectionsPerPrincipal) return ws.close(4002, 'Too many connections')
    const conn = new LocalConnection(ws, principal, token, {
      maxBufferedBytes: this.options.maxBufferedBytes,
      now: () => this.options.clock.now(),
      monotonicNow: () => performance.now(),
      onDropped: () => this.counters.messages_dropped++,
      onLagged: () => this.counters.lagged_notices++,
    })
    this.connections.add(conn)
    this.byScope.add(conn.scope, conn)
    ws.on('pong', () => (conn.missedPings = 0))
    ws.on('message', (data, isBinary) => this.onMessage(conn, data, isBinary, context))
    ws.on('close', () => {
      this.connections.delete(conn)
      this.byScope.delete(conn.scope, conn)
    })
    // ws closes 1009 itself on an oversized frame (maxPayload) and reports it here; nothing else to do.
    ws.on('error', (error) => this.options.logger.debug({ err: error.message }, 'stream socket error'))
  }

  private onMessage(conn: LocalConnection, data: RawData, isBinary: boolean, context: StreamContext): void {
    conn.missedPings = 0
    if (isBinary) return conn.ws.close(1003, 'Binary messages are not supported')
    let message: unknown
    try {
      message = JSON.parse(rawText(data)) as unknown
    } catch {
      return conn.ws.close(1003, 'Invalid JSON')
    }
    const verdict = conn.inbound.take(performance.now())
    if (verdict === 'ignore') return
    if (verdict === 'error') return conn.reply(rateLimitedMessage())
    const tenantId = conn.principal.tenantId
    const outcome = handleClientMessage(message, conn.subscription, (ref) => context.findProjectId(tenantId, ref))
    if (outcome.kind === 'subscribed' || outcome.kind === 'unsubscribed') conn.subscription = outcome.subscription
    conn.reply(replyMessage(outcome, conn.subscription, this.options.clock.now(), false))
  }

  /** Beyond (R10): a revoked, expired or deactivated credential closes its sockets 4001. */
  private recheckCredentials(context: StreamContext): void {
    for (const conn of this.connections) {
      const now = context.resolveCredential(conn.token)
      const same =
        now !== undefined && now.tenantId === conn.principal.tenantId && now.partition === conn.principal.partition
      if (!same) conn.ws.close(4001, 'Invalid token')
    }
  }

  /** R25: protocol pings; a tick that finds 2 unanswered closes 4003, terminating after 5 s without a handshake. */
  private keepalive(): void {
    for (const conn of this.connections) {
      if (conn.ws.readyState !== conn.ws.OPEN) continue
      if (conn.missedPings >= 2) {
        conn.ws.close(4003, 'Ping timeout')
        setTimeout(() => conn.ws.terminate(), CLOSE_GRACE_MS).unref()
        continue
      }
      conn.missedPings++
      conn.ws.ping()
    }
  }

  protected readonly deliver = (conn: LocalConnection, text: string, channel: 'events' | 'agents' | 'alerts'): void => {
    if (conn.push(text, channel)) this.counters.pushes_sent++
  }

  stats(): BroadcasterStats {
    return { ...this.counters, connections: this.connections.size }
  }

  /** Stops timers, closes sockets 1001 and waits ≤ 2 s for them (R1); idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.timers.forEach((t) => clearInterval(t))
      this.host?.server.off('upgrade', this.onUpgrade)
      const open = [...this.connections].map((c) => c.ws)
      const closed = open.map((ws) => new Promise<void>((resolve) => ws.once('close', () => resolve())))
      open.forEach((ws) => ws.close(1001, 'Server shutting down'))
      await Promise.race([Promise.all(closed), new Promise((resolve) => setTimeout(resolve, 2000).unref())])
      open.forEach((ws) => ws.terminate())
      await new Promise<void>((resolve) => this.wss.close(() => resolve()))
    })()
    return this.closing
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8')
  return data instanceof ArrayBuffer ? Buffer.from(new Uint8Array(data)).toString('utf8') : data.toString('utf8')
}
