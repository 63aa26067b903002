import { laggedMessage } from './protocol.js'

export type PushResult = 'ok' | 'gone' | 'failed'

export interface PushSchedulerOptions {
  concurrency: number
  queuePerConnection: number
  send: (connectionId: string, text: string) => Promise<PushResult>
  now: () => number
  /** Gone (410) or 10 failures in a row: the owner unregisters the connection (R31). */
  onDead: (connectionId: string, reason: 'gone' | 'failures') => void
  onDropped: () => void
  onLagged: () => void
}

interface Lane {
  items: string[]
  busy: boolean
  queued: boolean
  dropped: number
  droppedChannels: Set<string>
  since: number
  failures: number
}

const MAX_FAILURES_IN_A_ROW = 10

/**
 * Bridge pushes off the request path (R30): ≤ `concurrency` calls in flight overall and ≤ 1 per connection, which
 * keeps each connection's order. A lane holds ≤ `queuePerConnection` channel messages; overflow drops the newest
 * and one `lagged` follows once the lane drains (R24). Replies are never dropped.
 */
export class PushScheduler {
  private readonly lanes = new Map<string, Lane>()
  private readonly ready: string[] = []
  private inFlight = 0
  private idleWaiters: Array<() => void> = []
  /** Highest number of calls seen in flight at once (tests assert the bound). */
  peakInFlight = 0

  constructor(private readonly options: PushSchedulerOptions) {}

  enqueue(connectionId: string, text: string, channel?: string): void {
    const lane = this.lane(connectionId)
    if (channel !== undefined && (lane.dropped > 0 || lane.items.length >= this.options.queuePerConnection)) {
      if (lane.dropped === 0) lane.since = this.options.now()
      lane.dropped++
      lane.droppedChannels.add(channel)
      this.options.onDropped()
    } else lane.items.push(text)
    this.schedule(connectionId, lane)
  }

  /** Drops a connection's queue (unregistered, R31). An in-flight call finishes but nothing follows it. */
  forget(connectionId: string): void {
    this.lanes.delete(connectionId)
  }

  /** Resolves when nothing is in flight, or after `timeoutMs`. */
  async drain(timeoutMs: number): Promise<void> {
    if (this.inFlight === 0) return
    await Promise.race([
      new Promise<void>((resolve) => this.idleWaiters.push(resolve)),
      new Promise((resolve) => setTimeout(resolve, timeoutMs).unref()),
    ])
  }

  private lane(connectionId: string): Lane {
    let lane = this.lanes.get(connectionId)
    if (lane === undefined) {
      lane = { items: [], busy: false, queued: false, dropped: 0, droppedChannels: new Set(), since: 0, failures: 0 }
      this.lanes.set(connectionId, lane)
    }
    return lane
  }

  private schedule(connectionId: string, lane: Lane): void {
    if (lane.busy || lane.queued || lane.items.length === 0) return
    lane.queued = true
    this.ready.push(connectionId)
    this.pump()
  }

  private pump(): void {
    while (this.inFlight < this.options.concurrency && this.ready.length > 0) {
      const id = this.ready.shift() as string
      const lane = this.lanes.get(id)
      if (lane === undefined) continue
      lane.queued = false
      const text = lane.items.shift()
      if (text !== undefined) this.run(id, lane, text)
    }
  }

  private run(id: string, lane: Lane, text: string): void {
    lane.busy = true
    this.inFlight++
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight)
    void this.options
      .send(id, text)
      .catch((): PushResult => 'failed')
      .then((result) => {
        this.inFlight--
        lane.busy = false
        this.settle(id, lane, result)
        this.pump()
        if (this.inFlight === 0) this.idleWaiters.splice(0).forEach((resolve) => resolve())
      })
  }

  private settle(id: string, lane: Lane, result: PushResult): void {
    if (this.lanes.get(id) !== lane) return
    if (result === 'ok') lane.failures = 0
    else if (result === 'gone' || ++lane.failures >= MAX_FAILURES_IN_A_ROW) {
      this.forget(id)
      this.options.onDead(id, result === 'gone' ? 'gone' : 'failures')
      return
    }
    if (lane.items.length === 0 && lane.dropped > 0) {
      lane.items.push(JSON.stringify(laggedMessage(lane.dropped, [...lane.droppedChannels], lane.since)))
      lane.dropped = 0
      lane.droppedChannels.clear()
      this.options.onLagged()
    }
    if (lane.items.length === 0 && lane.failures === 0) this.lanes.delete(id)
    else this.schedule(id, lane)
  }
}
