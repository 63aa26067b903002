/** Test and bench seams: scale every retry wait, observe delays and drain phases, fix the jitter. */
export interface TransportHooks {
  waitScale: number
  onRetry?: (delayMs: number) => void
  /** Durations of the drain's synchronous sections: `batch`, `body`, `send` (up to the first await). */
  onPhase?: (phase: 'batch' | 'body' | 'send', ms: number) => void
  random: () => number
}

const HOOKS_KEY = Symbol.for('loophive.transportHooks.v1')
const hookHolder = globalThis as { [HOOKS_KEY]?: TransportHooks }
/** Shared through globalThis so `loophive/internal` reaches the transport of the main entry's bundle. */
export const transportHooks: TransportHooks = (hookHolder[HOOKS_KEY] ??= { waitScale: 1, random: Math.random })
