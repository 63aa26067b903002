import { lookup } from 'node:dns/promises'
import type { Clock } from '../../clock.js'
import type { Logger } from '../../logger.js'
import { classifyResponse, isPrivateAddress, signature } from './webhook-format.js'

export interface WebhookTarget {
  url: string
  secret: string | null
}

export interface DeliveryOutcome {
  status: 'sent' | 'failed'
  attempts: number
  http_status: number | null
  error: string | null
  duration_ms: number
}

export interface WebhookSenderOptions {
  clock: Clock
  logger: Logger
  timeoutMs: number
  /** Waits before attempts 2, 3, … (E109: 10 s, 60 s); tests inject short ones. */
  retryDelaysMs: readonly number[]
  /** Refuse loopback, private and link-local targets (production without `webhook_allow_private`). */
  refusePrivate: boolean
}

export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [10_000, 60_000]

/** POSTs signed webhooks with timeout and retries, off the request path (E109). */
export class WebhookSender {
  private readonly pending = new Set<Promise<unknown>>()
  private readonly sleepers = new Set<{ timer: NodeJS.Timeout; wake: () => void }>()
  private readonly controllers = new Set<AbortController>()
  private closed = false

  constructor(private readonly options: WebhookSenderOptions) {}

  /** Runs a delivery job in the background; never throws to the caller. */
  enqueue(job: () => Promise<void>): void {
    if (this.closed) return
    const running = job().catch((error: unknown) => this.options.logger.error({ err: error }, 'webhook job failed'))
    this.pending.add(running)
    void running.finally(() => this.pending.delete(running))
  }

  isClosed(): boolean {
    return this.closed
  }

  /** Resolves when every queued delivery has finished (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending])
  }

  /** Up to 1 + retryDelaysMs.length attempts (`maxAttempts` 1 for test-fire). */
  async deliver(target: WebhookTarget, body: string, alertId: string, maxAttempts?: number): Promise<DeliveryOutcome> {
    const limit = maxAttempts ?? this.options.retryDelaysMs.length + 1
    const started = this.options.clock.now()
    let attempts = 0
    for (;;) {
      attempts++
      const { httpStatus, error } = await this.attempt(target, body, alertId)
      const verdict = classifyResponse(httpStatus)
      const duration_ms = Math.max(0, this.options.clock.now() - started)
      if (verdict === 'sent') return { status: 'sent', attempts, http_status: httpStatus, error: null, duration_ms }
      const message = error ?? `HTTP ${String(httpStatus)}`
      if (verdict === 'fail' || attempts >= limit || this.closed) {
        return { status: 'failed', attempts, http_status: httpStatus, error: message, duration_ms }
      }
      await this.sleep(this.options.retryDelaysMs[attempts - 1] ?? 0)
    }
  }

  private async attempt(
    target: WebhookTarget,
    body: string,
    alertId: string,
  ): Promise<{ httpStatus: number | null; error: string | null }> {
    const controller = new AbortController()
    this.controllers.add(controller)
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs)
    try {
      if (this.options.refusePrivate && (await resolvesPrivate(target.url))) {
        return { httpStatus: null, error: 'Refused: private or loopback address' }
      }
      const timestamp = Math.floor(this.options.clock.now() / 1000)
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        'user-agent': 'HiveBoard-Webhook/1',
        'x-hiveboard-event': 'alert.fired',
        'x-hiveboard-delivery': alertId,
        'x-hiveboard-timestamp': String(timestamp),
      }
      if (target.secret !== null) headers['x-hiveboard-signature'] = signature(target.secret, timestamp, body)
      const response = await fetch(target.url, {
        method: 'POST',
        headers,
        body,
        redirect: 'manual',
        signal: controller.signal,
      })
      await response.body?.cancel().catch(() => undefined)
      return { httpStatus: response.status, error: null }
    } catch (error) {
      const timedOut = controller.signal.aborted
      return { httpStatus: null, error: timedOut ? 'Timed out' : describe(error) }
    } finally {
      clearTimeout(timer)
      this.controllers.delete(controller)
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const sleeper = {
        timer: setTimeout(() => {
          this.sleepers.delete(sleeper)
          resolve()
        }, ms),
        wake: resolve,
      }
      sleeper.timer.unref()
      this.sleepers.add(sleeper)
    })
  }

  /** Stops retrying and aborts requests in flight; queued jobs finish without waiting. */
  async close(): Promise<void> {
    this.closed = true
    for (const sleeper of this.sleepers) {
      clearTimeout(sleeper.timer)
      sleeper.wake()
    }
    this.sleepers.clear()
    for (const controller of this.controllers) controller.abort()
    await this.settled()
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: unknown }).cause
    return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message
  }
  return 'Request failed'
}

async function resolvesPrivate(url: string): Promise<boolean> {
  const host = new URL(url).hostname
  if (isPrivateAddress(host)) return true
  try {
    const addresses = await lookup(host.replace(/^\[|\]$/g, ''), { all: true })
    return addresses.some((a) => isPrivateAddress(a.address))
  } catch {
    return false
  }
}
