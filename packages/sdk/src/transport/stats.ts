import type { Log } from '../log.js'

export type DropReason = 'queueFull' | 'clientError' | 'retriesExhausted' | 'shutdown' | 'reset' | 'closed'

export interface Stats {
  queued: number
  queuedBytes: number
  inFlight: number
  enqueued: number
  sent: number
  rejected: number
  requests: number
  retries: number
  dropped: Record<DropReason, number>
  lastError?: string
}

export interface FlushResult {
  sent: number
  rejected: number
  dropped: number
  pending: number
  timedOut: boolean
}

export interface ShutdownResult {
  sent: number
  dropped: number
  timedOut: boolean
}

const LABELS: Record<DropReason, string> = {
  queueFull: 'queue full',
  clientError: 'rejected by the server (4xx)',
  retriesExhausted: 'retries exhausted',
  shutdown: 'shutdown deadline',
  reset: 'reset',
  closed: 'client closed',
}

export function emptyDropped(): Record<DropReason, number> {
  return { queueFull: 0, clientError: 0, retriesExhausted: 0, shutdown: 0, reset: 0, closed: 0 }
}

/** The transport's running counts: Stats without the queue's own figures. */
export type Counters = Omit<Stats, 'queued' | 'queuedBytes' | 'inFlight'>

export function newCounters(): Counters {
  return { enqueued: 0, sent: 0, rejected: 0, requests: 0, retries: 0, dropped: emptyDropped() }
}

export function totalDropped(dropped: Record<DropReason, number>): number {
  let n = 0
  for (const v of Object.values(dropped)) n += v
  return n
}

/** Each drop reason warns at most once per 60 s, with the count since its last warning (sdk.md §5.9). */
export class DropReporter {
  private readonly pending = emptyDropped()
  private readonly lastWarn = new Map<DropReason, number>()

  constructor(
    private readonly log: Log,
    private readonly now: () => number = Date.now,
  ) {}

  add(reason: DropReason, n: number): void {
    if (n <= 0) return
    this.pending[reason] += n
    const last = this.lastWarn.get(reason)
    const now = this.now()
    if (last === undefined || now - last >= 60_000) this.report(reason, now)
  }

  /** Final counts (shutdown/reset). */
  reportAll(): void {
    const now = this.now()
    for (const reason of Object.keys(this.pending) as DropReason[])
      if (this.pending[reason] > 0) this.report(reason, now)
  }

  private report(reason: DropReason, now: number): void {
    const count = this.pending[reason]
    this.pending[reason] = 0
    this.lastWarn.set(reason, now)
    const window = this.lastWarn.size > 0 ? ' in the last 60 s' : ''
    this.log.warn(
      `dropped ${count.toLocaleString('en-US')} events${window}: ${LABELS[reason]}`,
      `drop:${reason}:${now}`,
    )
  }
}
