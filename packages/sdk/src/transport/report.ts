import type { Log } from '../log.js'
import type { Outcome } from './classify.js'
import type { Item, Queue } from './queue.js'
import type { Stats } from './stats.js'

type Counters = Pick<Stats, 'sent' | 'rejected' | 'lastError'>

/** 207: the accepted events are done, the rejected ones are counted and never re-sent. */
export function settlePartial(
  items: Item[],
  outcome: Extract<Outcome, { kind: 'partial' }>,
  c: Counters,
  log: Log,
): void {
  for (const item of items) item.done = true
  const rejected = Math.min(items.length, outcome.rejected)
  c.sent += items.length - rejected
  c.rejected += rejected
  const first = outcome.errors
    .slice(0, 3)
    .map((e) => `${e.error}: ${e.message}`)
    .join('; ')
  log.warn(`${items.length - rejected} accepted, ${rejected} rejected (${first})`, 'partial')
}

/** 401/403: one error per status ("check the API key"), then debug. Other 4xx: a warning. */
export function logDrop(outcome: Extract<Outcome, { kind: 'drop' }>, authLogged: Set<number>, log: Log): void {
  if (outcome.reason === 'auth') {
    if (authLogged.has(outcome.status)) return log.debug(() => `${outcome.status} from the server`)
    authLogged.add(outcome.status)
    return log.error(`${outcome.status} from the server: check the API key`)
  }
  log.warn(`dropped events: ${outcome.status} ${outcome.body.slice(0, 200)}`, `drop${outcome.status}`)
}

/** The debug line of one request: agent, events, bytes, outcome, ms. */
export function describeOutcome(outcome: Outcome, agentId: string, events: number, bytes: number, ms: number): string {
  const result = outcome.kind === 'drop' ? `drop ${outcome.status}` : outcome.kind
  return `POST agent=${agentId} events=${events} bytes=${bytes} -> ${result} ${ms}ms`
}

interface Waiter {
  target: number
  resolve: () => void
}

/** flush() callers waiting for every event up to their sequence number to settle. */
export class Waiters {
  private list: Waiter[] = []

  get size(): number {
    return this.list.length
  }

  add(target: number, resolve: () => void): () => void {
    const waiter = { target, resolve }
    this.list.push(waiter)
    return () => {
      this.list = this.list.filter((w) => w !== waiter)
    }
  }

  /** Resolves every waiter whose events are all settled (`minPending` = lowest unsettled sequence). */
  check(minPending: number): void {
    if (this.list.length === 0) return
    const ready = this.list.filter((w) => w.target < minPending)
    if (ready.length === 0) return
    this.list = this.list.filter((w) => w.target >= minPending)
    for (const w of ready) w.resolve()
  }
}

/** The sequence number of the oldest unsettled event (in flight first, then queued), or Infinity. */
export function minPending(inflight: readonly Item[], queue: Queue): number {
  for (const item of inflight) if (!item.done) return item.seq
  return queue.peek()?.seq ?? Infinity
}

/** How many events up to `target` are still unsettled. */
export function pendingUpTo(inflight: readonly Item[], queue: Queue, target: number): number {
  let n = 0
  for (const item of inflight) if (!item.done && item.seq <= target) n++
  return n + Math.max(0, Math.min(queue.length, target - (queue.peek()?.seq ?? Infinity) + 1))
}
