import { init } from 'loophive'
import { Pace } from './pace.js'
import { Rng } from './rng.js'
import { STORIES } from './stories/index.js'

export interface FleetOptions {
  endpoint: string
  apiKey: string
  /** Time multiplier: 10 runs every story ten times faster. */
  speed: number
  /** Agent ids to run; all of them when undefined. */
  agents?: readonly string[] | undefined
  seed: number
  /** Stop (and flush) after this many seconds; run until stop() when undefined. */
  durationS?: number | undefined
  log?: ((line: string) => void) | undefined
  /** Passed to loophive (tests watch the server's answers through it). */
  fetch?: typeof globalThis.fetch | undefined
}

export interface FleetResult {
  agents: string[]
  sent: number
  /** Events the server refused (a 207): the demo should never cause any. */
  rejected: number
  dropped: number
}

export interface Fleet {
  readonly agents: readonly string[]
  /** Settles when the fleet has stopped and every event is flushed (or the flush timed out). */
  readonly done: Promise<FleetResult>
  /** Stops every story, flushes, shuts the SDK down. Idempotent. */
  stop(): Promise<FleetResult>
}

/** How long a stopping story may take to finish its current step before the flush starts anyway. */
const SETTLE_TIMEOUT_MS = 3000
const SHUTDOWN_TIMEOUT_MS = 5000

/** Starts the simulated company on one loophive client (the singleton of `init`). */
export function startFleet(options: FleetOptions): Fleet {
  const selected = STORIES.filter((s) => options.agents === undefined || options.agents.includes(s.id))
  const log = options.log ?? (() => undefined)
  const controller = new AbortController()
  const pace = new Pace(options.speed, controller.signal)
  const hb = init({
    apiKey: options.apiKey,
    endpoint: options.endpoint,
    flushIntervalMs: 1000,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  })
  const running = selected.map((story) =>
    story.run({ hb, pace, rng: Rng.derive(options.seed, story.id), log }).catch((error: unknown) => {
      log(`${story.id} stopped on an unexpected error: ${String(error)}`)
    }),
  )
  let stopping: Promise<FleetResult> | undefined
  let resolveDone: (result: FleetResult) => void = () => undefined
  const done = new Promise<FleetResult>((resolve) => (resolveDone = resolve))
  const stop = (): Promise<FleetResult> => {
    stopping ??= (async () => {
      clearTimeout(timer)
      controller.abort()
      const settle = new Promise<void>((resolve) => setTimeout(resolve, SETTLE_TIMEOUT_MS).unref())
      await Promise.race([Promise.all(running), settle])
      await hb.shutdown({ timeoutMs: SHUTDOWN_TIMEOUT_MS })
      // Lifetime counters (shutdown's own report counts only what its final drain sent).
      const stats = hb.stats()
      const dropped = Object.values(stats.dropped).reduce((sum, n) => sum + n, 0)
      const result = { agents: selected.map((s) => s.id), sent: stats.sent, rejected: stats.rejected, dropped }
      resolveDone(result)
      return result
    })()
    return stopping
  }
  const timer = options.durationS === undefined ? undefined : setTimeout(() => void stop(), options.durationS * 1000)
  return { agents: selected.map((s) => s.id), done, stop }
}
