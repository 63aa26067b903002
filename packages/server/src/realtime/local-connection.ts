import type { WebSocket } from 'ws'
import type { Principal } from '../http/principal.js'
import type { Scope } from './broadcaster.js'
import { InboundRate, laggedMessage, type ServerMessage } from './protocol.js'
import { EMPTY_SUBSCRIPTION, type Channel, type Subscription } from './subscription.js'

export const SLOW_CONSUMER_MS = 60_000

export interface LocalConnectionOptions {
  maxBufferedBytes: number
  /** Wall clock (epoch ms) for `since` in `lagged`. */
  now: () => number
  /** Monotonic ms for the slow-consumer duration. */
  monotonicNow: () => number
  onDropped: () => void
  onLagged: () => void
}

/** One browser socket held by this server: its subscription, keepalive count and send-buffer state (R23, R25). */
export class LocalConnection {
  subscription: Subscription = EMPTY_SUBSCRIPTION
  missedPings = 0
  readonly inbound = new InboundRate()
  private dropped = 0
  private droppedChannels = new Set<Channel>()
  private droppedSince = 0
  private overSince: number | undefined

  constructor(
    readonly ws: WebSocket,
    readonly principal: Principal,
    /** Kept in memory only for the periodic re-check (R10); never logged. */
    readonly token: string,
    private readonly options: LocalConnectionOptions,
  ) {}

  get scope(): Scope {
    return { tenantId: this.principal.tenantId, partition: this.principal.partition }
  }

  get lagging(): boolean {
    return this.dropped > 0
  }

  /** Sends a reply (subscribed, pong, error): never dropped, it answers the client's own message. */
  reply(message: ServerMessage): void {
    this.sendText(JSON.stringify(message))
  }

  /** Sends a channel push unless the socket's buffer is over the limit (R23: dropped and counted); true if sent. */
  push(text: string, channel: Channel): boolean {
    if (this.ws.readyState !== this.ws.OPEN) return false
    this.resumeIfDrained()
    if (this.lagging || this.ws.bufferedAmount > this.options.maxBufferedBytes) {
      if (!this.lagging) this.droppedSince = this.options.now()
      this.overSince ??= this.options.monotonicNow()
      this.dropped++
      this.droppedChannels.add(channel)
      this.options.onDropped()
      return false
    }
    this.sendText(text)
    return true
  }

  /** Called every second while lagging: resume below half the limit; close 4004 after 60 s over it. */
  checkBuffer(): void {
    if (!this.lagging || this.ws.readyState !== this.ws.OPEN) return
    if (this.ws.bufferedAmount <= this.options.maxBufferedBytes) this.overSince = undefined
    else if (this.overSince !== undefined && this.options.monotonicNow() - this.overSince >= SLOW_CONSUMER_MS) {
      this.ws.close(4004, 'Slow consumer')
      return
    }
    this.resumeIfDrained()
  }

  private resumeIfDrained(): void {
    if (!this.lagging || this.ws.bufferedAmount > this.options.maxBufferedBytes / 2) return
    const message = laggedMessage(this.dropped, [...this.droppedChannels], this.droppedSince)
    this.dropped = 0
    this.droppedChannels.clear()
    this.overSince = undefined
    this.options.onLagged()
    this.sendText(JSON.stringify(message))
  }

  private sendText(text: string): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(text)
  }
}
