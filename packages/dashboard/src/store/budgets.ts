/** Budget figures (dashboard.md D53) and the alert-write permission (api.md §2.4). Pure. */
import type { AlertRule, BudgetFigure } from './alerts.js'

export interface BudgetQuery {
  since: string
  agent_id: string | null
  model: string | null
  project_id: string | null
}

export interface CostRuleConfig {
  threshold_usd: number
  window_hours: number
  period: 'rolling' | 'calendar_day' | 'calendar_month'
  agent_id: string | null
  model: string | null
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null
}

function num(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback
}

export function costConfig(rule: AlertRule): CostRuleConfig {
  const c = rule.condition_config
  const period = c['period'] === 'calendar_day' || c['period'] === 'calendar_month' ? c['period'] : 'rolling'
  return {
    threshold_usd: num(c['threshold_usd'], 10),
    window_hours: num(c['window_hours'], 24),
    period,
    agent_id: str(c['agent_id']),
    model: str(c['model']),
  }
}

/** The rules that get a budget bar: enabled `cost_threshold` rules. */
export function budgetRules(rules: readonly AlertRule[] | null): AlertRule[] {
  return (rules ?? []).filter((r) => r.is_enabled && r.condition_type === 'cost_threshold')
}

/** Start of the budget period (D53): now − window_hours, or the UTC day/month start. */
export function budgetStart(config: CostRuleConfig, nowMs: number): string {
  const d = new Date(nowMs)
  if (config.period === 'calendar_day') {
    return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate())).toISOString()
  }
  if (config.period === 'calendar_month')
    return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)).toISOString()
  return new Date(nowMs - config.window_hours * 3600_000).toISOString()
}

export function budgetQuery(rule: AlertRule, nowMs: number): BudgetQuery {
  const c = costConfig(rule)
  return { since: budgetStart(c, nowMs), agent_id: c.agent_id, model: c.model, project_id: rule.project_id }
}

export type BudgetLevel = 'ok' | 'warn' | 'over'

/** Green under 75 %, amber under 100 %, else red (D53). */
export function budgetLevel(ratio: number): BudgetLevel {
  return ratio < 0.75 ? 'ok' : ratio < 1 ? 'warn' : 'over'
}

export function periodWords(c: CostRuleConfig): string {
  if (c.period === 'calendar_day') return 'today'
  if (c.period === 'calendar_month') return 'this month'
  return `in the last ${c.window_hours} h`
}

/** "$8.12 of $10.00 today". */
export function budgetText(spent: number, c: CostRuleConfig): string {
  return `$${spent.toFixed(2)} of $${c.threshold_usd.toFixed(2)} ${periodWords(c)}`
}

/** The fullest budget (for the ribbon, D24), or null. */
export function fullestBudget(
  rules: readonly AlertRule[] | null,
  budgets: Readonly<Record<string, BudgetFigure>>,
): { rule: AlertRule; spent: number; ratio: number } | null {
  let best: { rule: AlertRule; spent: number; ratio: number } | null = null
  for (const rule of budgetRules(rules)) {
    const f = budgets[rule.rule_id]
    if (f === undefined || !('spent' in f)) continue
    const ratio = f.spent / costConfig(rule).threshold_usd
    if (best === null || ratio > best.ratio) best = { rule, spent: f.spent, ratio }
  }
  return best
}

/**
 * Whether this credential may write alert rules (api.md §2.4): read and test keys may not; sessions follow the
 * stored user's role (viewers may not). Live keys carry their creator's role, unknown here: the controls show and
 * a 403 is explained by the server's message (D7).
 */
export function canWriteAlerts(
  credential: { kind: 'key'; key: string } | { kind: 'session'; token: string } | { kind: 'none' },
  storedUser: string | null,
): boolean {
  if (credential.kind === 'key') return credential.key.startsWith('hb_live_')
  if (credential.kind === 'none') return false
  try {
    const user = JSON.parse(storedUser ?? 'null') as { role?: unknown } | null
    return user?.role !== 'viewer'
  } catch {
    return true
  }
}
