import { HiveBoard } from './client.js'
import { clearGlobalState, globalState } from './context.js'
import { checkApiKey, type HiveBoardOptions } from './options.js'
import type { FlushResult, ShutdownResult } from './transport/stats.js'

function live(): HiveBoard | undefined {
  const client = globalState().client
  return client instanceof Object && !(client as HiveBoard).closed ? (client as HiveBoard) : undefined
}

function sameOptions(a: HiveBoardOptions, b: HiveBoardOptions): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof HiveBoardOptions>
  for (const key of keys) if (a[key] !== b[key]) return false
  return true
}

/** The process-wide client (one across the ESM and CJS copies). Throws HiveLoopError on bad options. */
export function init(options: HiveBoardOptions): HiveBoard {
  checkApiKey(options?.apiKey)
  const existing = live()
  if (existing !== undefined) {
    if (!sameOptions(existing.given, options))
      existing.log.warn('init() called again with different options: call reset() first')
    return existing
  }
  const client = new HiveBoard(options)
  globalState().client = client
  return client
}

export function getClient(): HiveBoard | undefined {
  return live()
}

const EMPTY_FLUSH: FlushResult = { sent: 0, rejected: 0, dropped: 0, pending: 0, timedOut: false }

export function flush(options?: { timeoutMs?: number }): Promise<FlushResult> {
  return live()?.flush(options) ?? Promise.resolve({ ...EMPTY_FLUSH })
}

/** Shuts the singleton down and clears the slot at once. */
export function shutdown(options?: { timeoutMs?: number }): Promise<ShutdownResult> {
  const client = live()
  globalState().client = undefined
  return client?.shutdown(options) ?? Promise.resolve({ sent: 0, dropped: 0, timedOut: false })
}

/** For tests: discards the queue and removes all SDK state from globalThis. */
export async function reset(options: { timeoutMs?: number } = {}): Promise<void> {
  try {
    const client = globalState().client as HiveBoard | undefined
    clearGlobalState()
    if (client !== undefined) await client.discard(options.timeoutMs ?? 0)
  } catch {
    // reset never rejects
  }
}
