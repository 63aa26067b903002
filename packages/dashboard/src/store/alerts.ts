/**
 * Alerts state (dashboard.md §11, D49–D53): rules, history, the recent alerts behind the banners, budgets.
 * Pure: no DOM, no storage; the app layer persists dismissals and calls the API.
 */
import type { ConditionType } from '@hiveboard/shared'
import type { Loadable, PanelError } from './state.js'

export type RuleAction =
  { type: 'webhook'; url: string; format: 'json' | 'slack'; secret_set: boolean } | { type: 'email'; to: string }

/** AlertRule as the server returns it (api.md §4.11, server README "Alerts"). */
export interface AlertRule {
  rule_id: string
  name: string
  project_id: string | null
  condition_type: ConditionType
  condition_config: Record<string, unknown>
  filters: { agent_id: string | null; environment: string | null; group: string | null }
  actions: RuleAction[]
  cooldown_seconds: number
  is_enabled: boolean
  last_fired_at: string | null
  created_at: string
  updated_at: string
}

/** A history item, also the `alert.fired` push data (realtime.md §3.2). */
export interface AlertRecord {
  alert_id: string
  rule_id: string
  rule_name: string
  project_id: string | null
  condition_type: string
  fired_at: string
  condition_snapshot: Record<string, unknown>
  actions_taken: Record<string, unknown>[]
  related_agent_id: string | null
  related_task_id: string | null
  /** Set when a level condition's episode cleared (server addition); absent or null = not resolved. */
  resolved_at?: string | null
}

export interface ProjectRef {
  project_id: string
  name: string
  slug: string
}

export interface HistoryFilter {
  ruleId: string | null
  /** ISO instants (the view converts its local datetime inputs). */
  since: string | null
  until: string | null
}

export interface HistoryPage {
  items: AlertRecord[]
  cursor: string | null
  hasMore: boolean
}

export type BudgetFigure = { spent: number; at: number } | { error: string; at: number }

export interface AlertsState {
  rules: Loadable<AlertRule[]>
  history: Loadable<HistoryPage>
  filter: HistoryFilter
  /** Alerts fired in the last 24 h (newest first): the banners and the tab badge are computed from them. */
  recent: AlertRecord[]
  /** Alert ids dismissed in this browser (D50), newest last. */
  dismissed: readonly string[]
  /** Records received as `alert.fired` since the page loaded, newest first: they toast once each. */
  live: AlertRecord[]
  budgets: Readonly<Record<string, BudgetFigure>>
  projects: ProjectRef[]
}

export const DISMISSED_CAP = 500
export const LIVE_CAP = 20
export const RECENT_CAP = 500
export const OPEN_FOR_MS = 24 * 3600_000
export const LOOP_BANNER_MS = 15 * 60_000

export function initialAlertsState(dismissed: readonly string[] = []): AlertsState {
  return {
    rules: { data: null, error: null, loading: false, updatedAt: null },
    history: { data: null, error: null, loading: false, updatedAt: null },
    filter: { ruleId: null, since: null, until: null },
    recent: [],
    dismissed,
    live: [],
    budgets: {},
    projects: [],
  }
}

export type AlertsMsg =
  | { type: 'rules/loading' }
  | { type: 'rules/loaded'; rules: AlertRule[]; at: number }
  | { type: 'rules/failed'; error: PanelError }
  | { type: 'rule/saved'; rule: AlertRule }
  | { type: 'rule/removed'; ruleId: string }
  | { type: 'history/filter'; filter: HistoryFilter }
  | { type: 'history/loading' }
  | { type: 'history/loaded'; page: HistoryPage; append: boolean; at: number }
  | { type: 'history/failed'; error: PanelError }
  | { type: 'recent/loaded'; records: AlertRecord[] }
  | { type: 'fired'; record: AlertRecord }
  | { type: 'dismiss'; alertIds: string[] }
  | { type: 'budget'; ruleId: string; figure: BudgetFigure }
  | { type: 'projects/loaded'; projects: ProjectRef[] }

const newestFirst = (a: AlertRecord, b: AlertRecord) => b.fired_at.localeCompare(a.fired_at)

/** Adds records by `alert_id` (a later copy replaces an earlier one: deliveries and resolutions update it). */
function upsert(list: readonly AlertRecord[], incoming: readonly AlertRecord[], cap: number): AlertRecord[] {
  const byId = new Map(list.map((r) => [r.alert_id, r]))
  for (const r of incoming) byId.set(r.alert_id, r)
  return [...byId.values()].sort(newestFirst).slice(0, cap)
}

/** Whether a pushed record belongs in the history list as currently filtered. */
export function matchesFilter(r: AlertRecord, f: HistoryFilter): boolean {
  if (f.ruleId !== null && r.rule_id !== f.ruleId) return false
  if (f.since !== null && r.fired_at < f.since) return false
  if (f.until !== null && r.fired_at >= f.until) return false
  return true
}

export function reduceAlerts(s: AlertsState, msg: AlertsMsg): AlertsState {
  switch (msg.type) {
    case 'rules/loading':
      return { ...s, rules: { ...s.rules, loading: true } }
    case 'rules/loaded':
      return { ...s, rules: { data: msg.rules, error: null, loading: false, updatedAt: msg.at } }
    case 'rules/failed':
      return { ...s, rules: { ...s.rules, error: msg.error, loading: false } }
    case 'rule/saved': {
      const list = s.rules.data ?? []
      const exists = list.some((r) => r.rule_id === msg.rule.rule_id)
      const data = exists ? list.map((r) => (r.rule_id === msg.rule.rule_id ? msg.rule : r)) : [...list, msg.rule]
      return { ...s, rules: { ...s.rules, data } }
    }
    case 'rule/removed': {
      const { [msg.ruleId]: _gone, ...budgets } = s.budgets
      return {
        ...s,
        budgets,
        rules: { ...s.rules, data: (s.rules.data ?? []).filter((r) => r.rule_id !== msg.ruleId) },
      }
    }
    case 'history/filter':
      return { ...s, filter: msg.filter }
    case 'history/loading':
      return { ...s, history: { ...s.history, loading: true } }
    case 'history/loaded': {
      const items =
        msg.append && s.history.data !== null ? upsert(s.history.data.items, msg.page.items, Infinity) : msg.page.items
      return { ...s, history: { data: { ...msg.page, items }, error: null, loading: false, updatedAt: msg.at } }
    }
    case 'history/failed':
      return { ...s, history: { ...s.history, error: msg.error, loading: false } }
    case 'recent/loaded': {
      // A refetch replaces the window but keeps pushes newer than what it returned (they may race the request).
      const recent = upsert(msg.records, s.live, RECENT_CAP)
      // Alerts newer than the history's newest join it as pushes would (polling has no pushes), keeping the
      // pages already loaded with Load more.
      const h = s.history.data
      if (h === null) return { ...s, recent }
      const newest = h.items[0]?.fired_at ?? ''
      const fresh = msg.records.filter((r) => r.fired_at >= newest && matchesFilter(r, s.filter))
      if (fresh.length === 0) return { ...s, recent }
      return { ...s, recent, history: { ...s.history, data: { ...h, items: upsert(h.items, fresh, Infinity) } } }
    }
    case 'fired': {
      const h = s.history.data
      const history =
        h !== null && matchesFilter(msg.record, s.filter)
          ? { ...s.history, data: { ...h, items: upsert(h.items, [msg.record], Infinity) } }
          : s.history
      const rules =
        s.rules.data === null
          ? s.rules
          : {
              ...s.rules,
              data: s.rules.data.map((r) =>
                r.rule_id === msg.record.rule_id && (r.last_fired_at ?? '') < msg.record.fired_at
                  ? { ...r, last_fired_at: msg.record.fired_at }
                  : r,
              ),
            }
      return {
        ...s,
        history,
        rules,
        recent: upsert(s.recent, [msg.record], RECENT_CAP),
        live: upsert(s.live, [msg.record], LIVE_CAP),
      }
    }
    case 'dismiss': {
      const fresh = msg.alertIds.filter((id) => !s.dismissed.includes(id))
      return fresh.length === 0 ? s : { ...s, dismissed: [...s.dismissed, ...fresh].slice(-DISMISSED_CAP) }
    }
    case 'budget':
      return { ...s, budgets: { ...s.budgets, [msg.ruleId]: msg.figure } }
    case 'projects/loaded':
      return { ...s, projects: msg.projects }
  }
}

/** What the banner needs to know about agents to decide that a subject visibly recovered. */
export interface AgentLook {
  agent_id: string
  derived_status: string
}

/**
 * Open alerts (D50), newest first: not dismissed in this browser, younger than 24 h, not resolved by the server,
 * and not visibly recovered (an `agent_stuck` alert whose agent the dashboard now shows as not stuck).
 */
export function openAlerts(
  s: Pick<AlertsState, 'recent' | 'dismissed'>,
  nowMs: number,
  agents: readonly AgentLook[] | null,
): AlertRecord[] {
  const dismissed = new Set(s.dismissed)
  const status = new Map((agents ?? []).map((a) => [a.agent_id, a.derived_status]))
  return s.recent.filter((r) => {
    if (dismissed.has(r.alert_id)) return false
    if (r.resolved_at !== undefined && r.resolved_at !== null) return false
    if (nowMs - Date.parse(r.fired_at) > OPEN_FOR_MS) return false
    if (r.condition_type === 'agent_stuck' && r.related_agent_id !== null) {
      const st = status.get(r.related_agent_id)
      if (st !== undefined && st !== 'stuck') return false
    }
    return true
  })
}

/** D52: `loop_detected` alerts of the last 15 min, not dismissed, newest first. */
export function recentLoops(s: Pick<AlertsState, 'recent' | 'dismissed'>, nowMs: number): AlertRecord[] {
  const dismissed = new Set(s.dismissed)
  return s.recent.filter(
    (r) =>
      r.condition_type === 'loop_detected' &&
      !dismissed.has(r.alert_id) &&
      nowMs - Date.parse(r.fired_at) <= LOOP_BANNER_MS,
  )
}

/** Dismissals stored per browser: a JSON array of alert ids; anything else reads as none. */
export function parseDismissed(text: string | null): string[] {
  if (text === null) return []
  try {
    const v: unknown = JSON.parse(text)
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').slice(-DISMISSED_CAP) : []
  } catch {
    return []
  }
}

export const DISMISSED_STORAGE_KEY = 'hiveboard_dismissed_alerts'
