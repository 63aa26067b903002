import { ApiGatewayManagementApiClient, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi'
import type { Duplex } from 'node:stream'
import type { Clock } from '../clock.js'
import type { Principal } from '../http/principal.js'
import type { Logger } from '../logger.js'
import type { Broadcaster, BroadcasterStats, Scope, StreamHost } from './broadcaster.js'
import { FanOutBroadcaster } from './fan-out-broadcaster.js'
import { InboundRate, type ServerMessage } from './protocol.js'
import { PushScheduler, type PushResult } from './push-scheduler.js'
import { rejectUpgrade } from './reject-upgrade.js'
import { startStatsLog } from './stats-log.js'
import { EMPTY_SUBSCRIPTION, type Channel, type Subscription } from './subscription.js'

/** API Gateway ends connections within 2 h; records older than 2 h 5 min are stale (R32). */
export const STALE_AFTER_MS = 2 * 3600_000 + 5 * 60_000
const PUSH_TIMEOUT_MS = 5000

export interface ApiGatewayOptions {
  endpoint: string
  region: string
  concurrency: number
  queuePerConnection: number
  clock: Clock
  logger: Logger
  /** Tests pass dummy static credentials; production uses the default chain (never config.json, R29). */
  credentials?: { accessKeyId: string; secretAccessKey: string }
  sweepIntervalMs?: number
}

/** R28: one API Gateway connection as the registry knows it. */
export interface Registration {
  connectionId: string
  principal: Principal
  scope: Scope
  subscription: Subscription
  registeredAt: number
  inbound: InboundRate
}

/** Pushes through the API Gateway Management API to sockets API Gateway holds (realtime.md §6). */
export class ApiGatewayBroadcaster extends FanOutBroadcaster<Registration> implements Broadcaster {
  readonly kind = 'bridge'
  private readonly registry = new Map<string, Registration>()
  private readonly client: ApiGatewayManagementApiClient
  private readonly scheduler: PushScheduler
  private readonly timers: NodeJS.Timeout[] = []
  private closing: Promise<void> | undefined

  constructor(private readonly options: ApiGatewayOptions) {
    super(options.logger, 'bridge')
    this.client = new ApiGatewayManagementApiClient({
      endpoint: options.endpoint,
      region: options.region,
      maxAttempts: 2,
      requestHandler: { requestTimeout: PUSH_TIMEOUT_MS, connectionTimeout: PUSH_TIMEOUT_MS },
      ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    })
    this.scheduler = new PushScheduler({
      concurrency: options.concurrency,
      queuePerConnection: options.queuePerConnection,
      send: (id, text) => this.post(id, text),
      now: () => options.clock.now(),
      onDead: (id, reason) => {
        if (reason === 'failures')
          options.logger.warn({ connection_id: id }, 'bridge: 10 failed pushes in a row; unregistered')
        this.unregister(id)
      },
      onDropped: () => this.counters.messages_dropped++,
      onLagged: () => this.counters.lagged_notices++,
    })
  }

  /** Timers start here (the server owns lifetimes); a WebSocket upgrade in bridge mode is refused 501 (R6). */
  attach(host: StreamHost): void {
    this.host = host
    host.server.on('upgrade', this.onUpgrade)
    this.timers.push(setInterval(() => this.sweep(), this.options.sweepIntervalMs ?? 5 * 60_000).unref())
    this.timers.push(startStatsLog(this, this.options.logger))
  }

  private readonly onUpgrade = (_req: unknown, socket: Duplex): void =>
    rejectUpgrade(socket, 501, 'stream_inactive', 'The live stream is served by the API Gateway bridge')

  get(connectionId: string): Registration | undefined {
    return this.registry.get(connectionId)
  }

  /** Registers a connection; a known id stays unchanged (R27). Returns the registration. */
  register(connectionId: string, principal: Principal): Registration {
    const known = this.registry.get(connectionId)
    if (known !== undefined) return known
    const scope: Scope = { tenantId: principal.tenantId, partition: principal.partition }
    const registration: Registration = {
      connectionId,
      principal,
      scope,
      subscription: EMPTY_SUBSCRIPTION,
      registeredAt: this.options.clock.now(),
      inbound: new InboundRate(),
    }
    this.registry.set(connectionId, registration)
    this.byScope.add(scope, registration)
    return registration
  }

  unregister(connectionId: string): boolean {
    const known = this.registry.get(connectionId)
    this.scheduler.forget(connectionId)
    if (known === undefined) return false
    this.registry.delete(connectionId)
    this.byScope.delete(known.scope, known)
    return true
  }

  /** R32: forget records registered more than 2 h 5 min ago. */
  sweep(): number {
    const cutoff = this.options.clock.now() - STALE_AFTER_MS
    const stale = [...this.registry.values()].filter((r) => r.registeredAt < cutoff)
    stale.forEach((r) => this.unregister(r.connectionId))
    return stale.length
  }

  /** R34: replies are pushed like the local server would send them. */
  reply(connectionId: string, message: ServerMessage): void {
    this.scheduler.enqueue(connectionId, JSON.stringify(message))
  }

  protected readonly deliver = (target: Registration, text: string, channel: Channel): void =>
    this.scheduler.enqueue(target.connectionId, text, channel)

  private async post(connectionId: string, text: string): Promise<PushResult> {
    try {
      await this.client.send(
        new PostToConnectionCommand({ ConnectionId: connectionId, Data: Buffer.from(text, 'utf8') }),
      )
      this.counters.pushes_sent++
      return 'ok'
    } catch (error) {
      const name = error instanceof Error ? error.name : 'unknown'
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode
      if (name === 'GoneException' || status === 410) {
        this.counters.pushes_gone++
        return 'gone'
      }
      this.counters.pushes_failed++
      // R2/R31: id, error name and status only — never the token or the payload.
      this.options.logger.warn({ connection_id: connectionId, error: name, status }, 'bridge: push failed')
      return 'failed'
    }
  }

  /** Highest concurrent Management API calls so far (R30; tests). */
  get peakInFlight(): number {
    return this.scheduler.peakInFlight
  }

  stats(): BroadcasterStats {
    return { ...this.counters, connections: this.registry.size }
  }

  /** Stops timers and waits ≤ 2 s for in-flight pushes (R1); idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.timers.forEach((t) => clearInterval(t))
      this.host?.server.off('upgrade', this.onUpgrade)
      await this.scheduler.drain(2000)
      this.client.destroy()
    })()
    return this.closing
  }
}
