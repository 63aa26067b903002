import { lowerBoundTs } from '../../projection/order.js'
import type { EventRecord } from '../../projection/stored-event.js'
import type { AlertRule } from '../../storage/alert-records.js'
import { recordInScope, RULE_SUBJECT, type EvalContext, type LevelOutcome } from './condition-context.js'
import { configOf } from './rule-schema.js'

const HOUR_MS = 3_600_000

/** Visible events with timestamp in [start, end], in canonical order. */
export function* eventsIn(events: readonly EventRecord[], start: number, end: number): Generator<EventRecord> {
  for (let i = lowerBoundTs(events, start); i < events.length; i++) {
    const record = events[i] as EventRecord
    if (record.ts > end) return
    yield record
  }
}

const round1 = (value: number): number => Math.round(value * 10) / 10
const round6 = (value: number): number => Math.round(value * 1e6) / 1e6

/**
 * `error_rate` (api.md §4.11, which decides the wire): action_failed ÷ (action_completed + action_failed)
 * over the last `window_minutes`, firing at ≥ `threshold_percent` once ≥ `min_actions` actions finished.
 */
export function evaluateErrorRate(rule: AlertRule, ctx: EvalContext): LevelOutcome {
  const config = configOf('error_rate', rule.condition_config)
  const window = { start: ctx.now - config.window_minutes * 60_000, end: ctx.now }
  const [failed = 0, finished = 0] = ctx.windowSums(rule, window, (record) => {
    if (record.eventType !== 'action_failed' && record.eventType !== 'action_completed') return null
    if (!recordInScope(rule, record, ctx.effectiveProject)) return null
    return [record.eventType === 'action_failed' ? 1 : 0, 1]
  })
  const rate = finished === 0 ? 0 : (100 * failed) / finished
  const holds = finished >= config.min_actions && rate >= config.threshold_percent
  const snapshot = {
    error_rate: round1(rate),
    threshold: config.threshold_percent,
    failed,
    finished,
    window_minutes: config.window_minutes,
  }
  return {
    firings: holds ? [{ subject: RULE_SUBJECT, snapshot, agentId: rule.filters.agent_id, taskId: null }] : [],
    covers: () => true,
  }
}

/** Start of the budget period at `now` (E101 `period`; calendar periods are UTC). */
export function costWindowStart(
  period: 'rolling' | 'calendar_day' | 'calendar_month',
  windowHours: number,
  now: number,
) {
  const d = new Date(now)
  if (period === 'calendar_day') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate())
  if (period === 'calendar_month') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)
  return now - windowHours * HOUR_MS
}

/** `cost_threshold`: llm_call cost in the window ≥ threshold, per agent (`agent_id`), project (scope) or tenant. */
export function evaluateCostThreshold(rule: AlertRule, ctx: EvalContext): LevelOutcome {
  const config = configOf('cost_threshold', rule.condition_config)
  const start = costWindowStart(config.period, config.window_hours, ctx.now)
  const [total = 0, calls = 0] = ctx.windowSums(rule, { start, end: ctx.now }, (record) => {
    const llm = record.llm
    if (llm === null || !recordInScope(rule, record, ctx.effectiveProject)) return null
    if (config.agent_id !== null && record.agentId !== config.agent_id) return null
    if (config.model !== null && llm.model !== config.model) return null
    return [llm.cost ?? 0, 1]
  })
  const holds = total >= config.threshold_usd
  const snapshot = {
    total_cost_usd: round6(total),
    threshold_usd: config.threshold_usd,
    period: config.period,
    window_start: new Date(start).toISOString(),
    window_end: new Date(ctx.now).toISOString(),
    call_count: calls,
    agent_id: config.agent_id,
    model: config.model,
  }
  const agentId = config.agent_id ?? rule.filters.agent_id
  return { firings: holds ? [{ subject: RULE_SUBJECT, snapshot, agentId, taskId: null }] : [], covers: () => true }
}
