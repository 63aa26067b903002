import { queueSnapshotSummary } from '@hiveboard/shared'
import type { Agent } from './agent.js'
import { emit, kindPayload, type Payload } from './emit.js'
import { safeSetInterval, safeSetTimeout } from './transport/timers.js'

export type Provider = () => unknown

const TIMEOUT = Symbol('timeout')

function isPlainObject(value: unknown): value is Payload {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Calls a sync or async provider with a timeout; never rejects. */
async function callProvider(
  fn: Provider,
  timeoutMs: number,
): Promise<{ ok: true; value: unknown } | { ok: false; why: string }> {
  let timer: NodeJS.Timeout | undefined
  try {
    const timeout = new Promise<typeof TIMEOUT>(
      (resolve) => (timer = safeSetTimeout(() => resolve(TIMEOUT), timeoutMs)),
    )
    const value = await Promise.race([Promise.resolve().then(fn), timeout])
    if (value === TIMEOUT) return { ok: false, why: `timed out after ${timeoutMs} ms` }
    return { ok: true, value }
  } catch (error) {
    return { ok: false, why: `threw: ${String(error)}` }
  } finally {
    clearTimeout(timer)
  }
}

/** One unref'd interval per agent; a tick is skipped while the previous cycle is pending (sdk.md §4). */
export class Heartbeat {
  private timer: NodeJS.Timeout | undefined
  private pending = false
  private stopped = false

  constructor(private readonly agent: Agent) {}

  start(intervalMs: number): void {
    if (this.stopped) return
    if (this.timer !== undefined) clearInterval(this.timer)
    this.timer = undefined
    if (intervalMs <= 0) return
    this.timer = safeSetInterval(() => void this.tick(intervalMs), intervalMs)
  }

  stop(): void {
    this.stopped = true
    if (this.timer !== undefined) clearInterval(this.timer)
    this.timer = undefined
  }

  async tick(intervalMs: number): Promise<void> {
    if (this.pending || this.stopped) return
    this.pending = true
    try {
      await this.cycle(Math.min(5000, intervalMs))
    } catch {
      // a heartbeat cycle never throws
    } finally {
      this.pending = false
    }
  }

  private async cycle(timeoutMs: number): Promise<void> {
    const agent = this.agent
    const log = agent.client.log
    const hb = agent.heartbeatPayload
    let payload: Payload | undefined
    if (hb !== undefined) {
      const result = await callProvider(hb, timeoutMs)
      if (this.stopped) return
      if (!result.ok) log.warn(`heartbeatPayload ${result.why}`, `hb-fail:${agent.id}`)
      else if (isPlainObject(result.value)) payload = result.value
      else if (result.value != null) log.warn('heartbeatPayload returned a non-object: ignored', `hb-type:${agent.id}`)
    }
    emit(agent, { type: 'heartbeat', payload })
    const qp = agent.queueProvider
    if (qp === undefined) return
    const result = await callProvider(qp, timeoutMs)
    if (this.stopped) return
    if (!result.ok) return log.warn(`queueProvider ${result.why}: snapshot skipped`, `qp-fail:${agent.id}`)
    if (result.value === null || result.value === undefined) return
    if (!isPlainObject(result.value))
      return log.warn('queueProvider returned a non-object: snapshot skipped', `qp-type:${agent.id}`)
    const data = result.value
    const depth = typeof data['depth'] === 'number' ? data['depth'] : 0
    const age = typeof data['oldest_age_seconds'] === 'number' ? data['oldest_age_seconds'] : undefined
    emit(agent, {
      type: 'custom',
      payload: kindPayload('queue_snapshot', queueSnapshotSummary(depth, age), data, ['queue']),
    })
  }
}
