import { performance } from 'node:perf_hooks'
import type { Log } from '../log.js'
import type { Outcome } from './classify.js'
import {
  buildBodyParts,
  groupByEnvelope,
  Queue,
  splitByBytes,
  type BodyParts,
  type EnvelopeRef,
  type Item,
} from './queue.js'
import { describeOutcome, logDrop, minPending, pendingUpTo, settlePartial, Waiters } from './report.js'
import { postBatch, type HttpSender } from './sender.js'
import {
  DropReporter,
  newCounters,
  totalDropped,
  type Counters,
  type DropReason,
  type FlushResult,
  type ShutdownResult,
  type Stats,
} from './stats.js'
import { backoffMs, nextTurn, safeSetTimeout, sleep } from './timers.js'
import { transportHooks } from './hooks.js'

export { transportHooks, type TransportHooks } from './hooks.js'

export interface TransportOptions {
  url: string
  apiKey: string
  batchSize: number
  maxQueueSize: number
  maxQueueBytes: number
  maxBatchBytes: number
  flushIntervalMs: number
  requestTimeoutMs: number
  maxRetries: number
  compression: 'none' | 'gzip'
  sender: HttpSender
  log: Log
}

export class Transport {
  private readonly queue = new Queue()
  private inflight: Item[] = []
  private seq = 0
  private draining: Promise<void> | undefined
  private timer: NodeJS.Timeout | undefined
  private immediate: NodeJS.Immediate | undefined
  private readonly waiters = new Waiters()
  private readonly abort = new AbortController()
  private closing: Promise<ShutdownResult> | undefined
  private deadline = Infinity
  private compression: 'none' | 'gzip'
  private readonly authLogged = new Set<number>()
  private readonly drops: DropReporter
  private readonly counters: Counters = newCounters()
  closed = false

  constructor(private readonly o: TransportOptions) {
    this.compression = o.compression
    this.drops = new DropReporter(o.log)
  }

  /** Synchronous, O(1), no I/O. `json`: the event's JSON, whole or in pieces. False when the event was not queued. */
  enqueue(env: EnvelopeRef, json: string | readonly string[]): boolean {
    if (this.closed) {
      this.counters.dropped.closed++
      return false
    }
    const data = this.queue.slab.join(typeof json === 'string' ? [json] : json)
    const q = this.queue
    let evicted = 0
    while (q.length > 0 && (q.length >= this.o.maxQueueSize || q.bytes + data.length > this.o.maxQueueBytes)) {
      const old = q.shift()
      if (old !== undefined) old.done = true
      evicted++
    }
    if (evicted > 0) this.drop('queueFull', evicted)
    const wasEmpty = q.length === 0
    q.push({ seq: ++this.seq, json: data, bytes: data.length, env, done: false })
    this.counters.enqueued++
    if (wasEmpty && this.timer === undefined) {
      this.timer = safeSetTimeout(() => {
        this.timer = undefined
        void this.kick()
      }, this.o.flushIntervalMs)
    }
    if ((q.length >= this.o.batchSize || q.bytes >= this.o.maxBatchBytes) && this.immediate === undefined) {
      this.immediate = setImmediate(() => {
        this.immediate = undefined
        void this.kick()
      })
      this.immediate.unref?.()
    }
    if (evicted > 0) this.checkWaiters()
    return true
  }

  stats(): Stats {
    let inFlight = 0
    for (const item of this.inflight) if (!item.done) inFlight++
    const c = this.counters
    return { queued: this.queue.length, queuedBytes: this.queue.bytes, inFlight, ...c, dropped: { ...c.dropped } }
  }

  /** Resolves when every event enqueued before the call is settled, or at the timeout. Never rejects. */
  flush(options: { timeoutMs?: number } = {}): Promise<FlushResult> {
    const target = this.seq
    const before = this.snapshot()
    const result = (timedOut: boolean): FlushResult => {
      const now = this.snapshot()
      return {
        sent: now.sent - before.sent,
        rejected: now.rejected - before.rejected,
        dropped: now.dropped - before.dropped,
        pending: timedOut ? pendingUpTo(this.inflight, this.queue, target) : 0,
        timedOut,
      }
    }
    if (minPending(this.inflight, this.queue) > target) return Promise.resolve(result(false))
    return new Promise((resolve) => {
      const timer = safeSetTimeout(() => {
        remove()
        resolve(result(true))
      }, options.timeoutMs ?? 10_000)
      const remove = this.waiters.add(target, () => {
        clearTimeout(timer)
        resolve(result(false))
      })
      if (!this.closed) void this.kick()
    })
  }

  /** Bounded by `timeoutMs` (+ a few ms), idempotent, never rejects. */
  shutdown(options: { timeoutMs?: number } = {}, reason: 'shutdown' | 'reset' = 'shutdown'): Promise<ShutdownResult> {
    this.closing ??= this.close(Math.max(0, options.timeoutMs ?? 5000), reason)
    return this.closing
  }

  private async close(timeoutMs: number, reason: 'shutdown' | 'reset'): Promise<ShutdownResult> {
    this.closed = true
    if (this.timer !== undefined) clearTimeout(this.timer)
    if (this.immediate !== undefined) clearImmediate(this.immediate)
    const sentBefore = this.counters.sent
    const droppedBefore = this.counters.dropped[reason]
    this.deadline = Date.now() + timeoutMs
    let timedOut = false
    if (timeoutMs > 0) {
      let timer: NodeJS.Timeout | undefined
      const expired = new Promise<boolean>((resolve) => (timer = safeSetTimeout(() => resolve(true), timeoutMs)))
      timedOut = await Promise.race([this.drainAll().then(() => false), expired])
      clearTimeout(timer)
    }
    this.abort.abort()
    let left = 0
    for (const item of this.inflight) {
      if (!item.done) left++
      item.done = true
    }
    left += this.queue.take(Infinity).length
    if (left > 0) {
      this.counters.dropped[reason] += left
      if (reason === 'shutdown')
        this.o.log.warn(`shutdown: dropped ${left} unsent events at the ${timeoutMs} ms deadline`)
    }
    this.inflight = []
    this.o.sender.close?.()
    this.checkWaiters()
    this.drops.reportAll()
    const dropped = this.counters.dropped[reason] - droppedBefore
    return { sent: this.counters.sent - sentBefore, dropped, timedOut: timedOut || dropped > 0 }
  }

  private async drainAll(): Promise<void> {
    while (this.queue.length > 0 || this.draining !== undefined) await (this.draining ?? this.kick())
  }

  /** Single flight: starts a drain unless one runs. */
  private kick(): Promise<void> {
    this.draining ??= this.drain()
      .catch(() => undefined) // drain never rejects; this is a last guard
      .finally(() => {
        this.draining = undefined
        // events that arrived while the drain was finishing: a waiting flush or a full batch starts the next one
        const again = this.waiters.size > 0 || this.queue.length >= this.o.batchSize
        if (this.queue.length > 0 && again && !this.closed) void this.kick()
      })
    return this.draining
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0 && !this.abort.signal.aborted) {
      // NOTE: a new connection (the first of a process above all) is opened before the batch is built, on turns of
      // its own: together they exceeded the 1 ms block budget (README "Performance")
      const connecting = this.o.sender.connectAhead?.(this.o.url)
      if (connecting !== undefined) {
        await connecting
        continue // the queue may have been drained or the client shut down meanwhile
      }
      const t0 = performance.now()
      const batch = this.queue.take(this.o.batchSize)
      this.inflight = batch
      const chunks = groupByEnvelope(batch).map((group) => {
        const env = (group[0] as Item).env
        return { env, parts: splitByBytes(group, env, this.o.maxBatchBytes) }
      })
      transportHooks.onPhase?.('batch', performance.now() - t0)
      for (const { env, parts } of chunks) {
        for (const chunk of parts) {
          // NOTE: each request starts on a fresh event-loop turn, never in the turn that handled the previous response
          // (or on flush()'s caller stack): the two together would exceed the 1 ms block budget (README Performance).
          await nextTurn()
          await this.sendChunk(env, chunk)
          this.checkWaiters()
        }
      }
      this.inflight = []
      this.checkWaiters()
    }
  }

  private async sendChunk(env: EnvelopeRef, items: Item[]): Promise<void> {
    let attempt = 0
    let useGzip = this.compression === 'gzip'
    let fellBack = false
    for (;;) {
      if (items.every((i) => i.done)) return
      if (this.abort.signal.aborted) return
      attempt++
      const t0 = performance.now()
      const body = buildBodyParts(env, items)
      const t1 = performance.now()
      const started = Date.now()
      const posting = this.post(body, useGzip)
      transportHooks.onPhase?.('body', t1 - t0)
      transportHooks.onPhase?.('send', performance.now() - t1)
      const { outcome, gzipped } = await posting
      this.counters.requests++
      this.o.log.debug(() => describeOutcome(outcome, env.agentId, items.length, body.bytes, Date.now() - started))
      switch (outcome.kind) {
        case 'ok':
          if (outcome.warnings > 0) this.o.log.debug(() => `server returned ${outcome.warnings} warnings`)
          if (fellBack) this.disableGzip()
          return this.settle(items, 'sent')
        case 'partial':
          return settlePartial(items, outcome, this.counters, this.o.log)
        case 'split':
          if (items.length === 1) {
            this.o.log.warn('dropped 1 event: 413 from the server', 'drop413')
            return this.settle(items, 'clientError')
          }
          await this.sendChunk(env, items.slice(0, items.length >> 1))
          return this.sendChunk(env, items.slice(items.length >> 1))
        case 'fallback':
          useGzip = false
          fellBack = true
          attempt--
          continue
        case 'drop':
          if (fellBack) this.disableGzip()
          this.counters.lastError = String(outcome.status)
          logDrop(outcome, this.authLogged, this.o.log)
          return this.settle(items, 'clientError')
        case 'retry': {
          this.counters.lastError = outcome.cause
          if (gzipped && fellBack) this.disableGzip()
          if (attempt >= 1 + this.o.maxRetries) {
            const n = items.filter((i) => !i.done).length
            this.o.log.warn(`dropped ${n} events after ${attempt} attempts (last: ${outcome.cause})`, 'exhausted')
            return this.settle(items, 'retriesExhausted', false)
          }
          const delay = outcome.afterMs ?? backoffMs(attempt, transportHooks.random)
          if (Date.now() + delay * transportHooks.waitScale >= this.deadline) return this.settle(items, 'shutdown')
          this.counters.retries++
          transportHooks.onRetry?.(delay)
          await sleep(delay * transportHooks.waitScale, this.abort.signal)
        }
      }
    }
  }

  private post(body: BodyParts, useGzip: boolean): Promise<{ outcome: Outcome; gzipped: boolean }> {
    const timeoutMs = Math.min(this.o.requestTimeoutMs, this.deadline - Date.now())
    return postBatch(this.o.sender, {
      url: this.o.url,
      apiKey: this.o.apiKey,
      body,
      useGzip,
      timeoutMs,
      signal: this.abort.signal,
    })
  }

  private disableGzip(): void {
    if (this.compression === 'none') return
    this.compression = 'none'
    this.o.log.warn('the server refused a gzip body: compression is off for this client')
  }

  private settle(items: Item[], outcome: 'sent' | DropReason, report = true): void {
    let n = 0
    for (const item of items) {
      if (!item.done) n++
      item.done = true
    }
    if (outcome === 'sent') this.counters.sent += n
    else if (report) this.drop(outcome, n)
    else this.counters.dropped[outcome] += n
  }

  private drop(reason: DropReason, n: number): void {
    this.counters.dropped[reason] += n
    if (reason !== 'shutdown' && reason !== 'reset') this.drops.add(reason, n)
  }

  private checkWaiters(): void {
    this.waiters.check(minPending(this.inflight, this.queue))
  }

  private snapshot(): { sent: number; rejected: number; dropped: number } {
    return { sent: this.counters.sent, rejected: this.counters.rejected, dropped: totalDropped(this.counters.dropped) }
  }
}
