import { emptyAgg, type Agg, type Filter } from './agg.js'
import { bucketCeil, HOUR_MS } from './bucket-math.js'
import type { HourlyRollups } from './hourly-rollups.js'

/**
 * The first instant answered from retained raw events. Hours before it ("retired" hours: TTL retention has
 * removed some or all of their events) are answered from the hourly rollups, which outlive raw events
 * (events.md E85). Hour-aligned, so every hour is answered by exactly one side. −∞ before any TTL pruning.
 */
export function rollupHorizon(hourly: HourlyRollups): number {
  return Number.isFinite(hourly.frozenBefore) ? bucketCeil(hourly.frozenBefore, HOUR_MS) : Number.NEGATIVE_INFINITY
}

/** A window filter; both project shapes are named so either form of `Filter` is refused alike. */
export type RetiredFilter = Filter & { projectId?: string | undefined; projectIds?: ReadonlySet<string> | undefined }

/**
 * LLM figures of the retired hours starting in [from, to) (an hour counts where it starts). E84 rollups
 * are split by agent and by model only, so a project or environment filter, or agent and model together,
 * find nothing there (see README).
 */
export function retiredLlmAgg(hourly: HourlyRollups, from: number, to: number, filter: RetiredFilter): Agg {
  const total = emptyAgg()
  const end = Math.min(to, rollupHorizon(hourly))
  if (filter.projectId !== undefined || filter.projectIds !== undefined || filter.environment !== undefined) {
    return total
  }
  if (filter.agentId !== undefined && filter.model !== undefined) return total
  for (let hour = bucketCeil(from, HOUR_MS); hour < end; hour += HOUR_MS) {
    if (filter.model !== undefined) {
      const row = hourly.modelHourly.get(hour)?.get(filter.model)
      if (row !== undefined) add(total, row.call_count, row.tokens_in, row.tokens_out, row.cost_micros)
      continue
    }
    for (const [agentId, row] of hourly.agentHourly.get(hour) ?? []) {
      if (filter.agentId !== undefined && agentId !== filter.agentId) continue
      add(total, row.llm_call_count, row.llm_tokens_in, row.llm_tokens_out, row.llm_cost_micros)
    }
  }
  return total
}

function add(agg: Agg, calls: number, tokensIn: number, tokensOut: number, costMicros: number): void {
  agg.calls += calls
  agg.tokensIn += tokensIn
  agg.tokensOut += tokensOut
  agg.costMicros += costMicros
}
