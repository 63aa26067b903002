import { ApiGatewayManagementApiClient, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi'
import type { Duplex } from 'node:stream'
import type { WireEvent } from '@hiveboard/shared'
import type { Clock } from '../clock.js'
import type { Principal } from '../http/principal.js'
import type { Logger } from '../logger.js'
import type {
  AgentStatusChange,
  AgentStuck,
  AlertFired,
  Broadcaster,
  BroadcasterStats,
  Scope,
  StreamHost,
} from './broadcaster.js'
import { emptyStats } from './broadcaster.js'
import { fanOutAgent, fanOutAlert, fanOutEvents, ScopeIndex } from './fanout.js'
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
export class ApiGatewayBroadcaster implements Broadcaster {
  readonly kind = 'bridge'
  private readonly registry = new Map<string, Registration>()
  private readonly byScope = new ScopeIndex<Registration>()
  private readonly counters = emptyStats()
  private readonly client: ApiGatewayManagementApiClient
  private readonly scheduler: PushScheduler
  private readonly timers: NodeJS.Timeout[] = []
  private host: StreamHost | undefined
  private closing: Promise<void> | undefined

  constructor(private readonly options: ApiGatewayOptions) {
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

  private readonly deliver = (target: Registration, text: string, channel: Channel): void =>
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

  private safely(fn: () => void): void {
    try {
      fn()
    } catch (error) {
      this.counters.pushes_failed++
      this.options.logger.error({ err: error instanceof Error ? error.message : 'unknown' }, 'bridge: fan-out failed')
    }
  }

  broadcastEvents(scope: Scope, events: readonly WireEvent[]): void {
    this.safely(() => fanOutEvents(this.byScope.in(scope), events, this.deliver))
  }
  broadcastAgentStatusChange(scope: Scope, change: AgentStatusChange): void {
    this.safely(() =>
      fanOutAgent(
        this.byScope.in(scope),
        'agent.status_changed',
        change,
        this.envOf(scope, change.agent_id),
        this.deliver,
      ),
    )
  }
  broadcastAgentStuck(scope: Scope, stuck: AgentStuck): void {
    this.safely(() =>
      fanOutAgent(this.byScope.in(scope), 'agent.stuck', stuck, this.envOf(scope, stuck.agent_id), this.deliver),
    )
  }
  broadcastAlertFired(scope: Scope, alert: AlertFired): void {
    this.safely(() => fanOutAlert(this.byScope.in(scope), alert, this.deliver))
  }

  private envOf(scope: Scope, agentId: string): () => string | undefined {
    return () => this.host?.context.agentEnvironment(scope, agentId)
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
