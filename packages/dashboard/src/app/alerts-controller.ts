/**
 * Alerts data flow (dashboard.md D49–D53, D15, D16): REST loads into the store's `alerts` slice, live
 * `alert.fired` pushes, the 60 s refetch, budget figures and dismissals persisted per browser.
 */
import { ApiError, type ApiClient, type Query } from '../lib/api.js'
import type { StorageLike } from '../lib/config.js'
import { budgetQuery, budgetRules } from '../store/budgets.js'
import {
  DISMISSED_STORAGE_KEY,
  parseDismissed,
  type AlertRecord,
  type AlertRule,
  type AlertsMsg,
  type HistoryFilter,
  type ProjectRef,
} from '../store/alerts.js'
import type { State } from '../store/state.js'
import type { Store } from '../store/store.js'
import { debounce, toPanelError } from './loaders.js'

interface Page<T> {
  data: T[]
  pagination: { cursor: string | null; has_more: boolean }
}

export interface TestResult {
  type: string
  url?: string | null
  to?: string | null
  status: string
  http_status?: number | null
  error?: string | null
  duration_ms?: number | null
}

const REFRESH_MS = 60_000
const RECENT_WINDOW_MS = 24 * 3600_000

export class AlertsController {
  private historyAbort: AbortController | null = null
  private timer: ReturnType<typeof setInterval> | null = null
  private lastNewest: string | null = null
  /** The rules as last fetched or saved: the store applies messages only at the next frame (D13). */
  private knownRules: AlertRule[] | null = null
  /** D13: budgets refetch at most every 10 s after llm_call events. */
  private readonly budgetsSoon = debounce(() => void this.budgets(), 10_000)
  /** While polling there is no `alert.fired`: new events refetch the recent alerts soon instead. */
  private readonly recentSoon = debounce(() => void this.recent(), 2000)

  constructor(
    private readonly api: ApiClient,
    private readonly store: Store,
    private readonly storage: StorageLike,
  ) {}

  private send(msg: AlertsMsg): void {
    this.store.dispatch({ type: 'alerts', msg })
  }

  start(): void {
    const dismissed = parseDismissed(this.storage.getItem(DISMISSED_STORAGE_KEY))
    if (dismissed.length > 0) this.send({ type: 'dismiss', alertIds: dismissed })
    void this.rules().then(() => this.budgets())
    void this.recent()
    void this.projects()
    // D16: cost, alerts: 60 s, timers only while visible.
    this.timer = setInterval(() => {
      if (document.visibilityState === 'hidden') return
      void this.refreshAll()
    }, REFRESH_MS)
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer)
  }

  async refreshAll(): Promise<void> {
    await Promise.all([this.rules(), this.recent(), this.store.state.url.view === 'alerts' ? this.history() : null])
    await this.budgets()
  }

  /** Store hook: new events refresh budgets (llm_call) and, without a live socket, the alert lists. */
  observe(state: State): void {
    if (state.newestSeen === this.lastNewest) return
    const previous = this.lastNewest
    this.lastNewest = state.newestSeen
    if (previous === null) return
    const fresh = state.events.filter((e) => e.timestamp > previous)
    if (fresh.some((e) => (e.payload as { kind?: unknown } | null)?.kind === 'llm_call')) this.budgetsSoon()
    if (state.live.kind !== 'live' && fresh.length > 0) this.recentSoon()
  }

  onFired(record: AlertRecord): void {
    this.send({ type: 'fired', record })
    if (record.condition_type === 'cost_threshold') this.budgetsSoon()
  }

  dismiss(alertIds: string[]): void {
    this.send({ type: 'dismiss', alertIds })
    // The reducer runs at the next frame; persist the union now so a reload right after keeps it.
    const stored = parseDismissed(this.storage.getItem(DISMISSED_STORAGE_KEY))
    const merged = [...stored, ...alertIds.filter((id) => !stored.includes(id))].slice(-500)
    this.storage.setItem(DISMISSED_STORAGE_KEY, JSON.stringify(merged))
  }

  async rules(): Promise<void> {
    if (this.store.state.alerts.rules.data === null) this.send({ type: 'rules/loading' })
    try {
      const res = await this.api.get<{ data: AlertRule[] }>('/v1/alerts/rules')
      this.knownRules = res.data
      this.send({ type: 'rules/loaded', rules: res.data, at: Date.now() })
    } catch (e) {
      this.send({ type: 'rules/failed', error: toPanelError(e) })
    }
  }

  setFilter(filter: HistoryFilter): void {
    this.send({ type: 'history/filter', filter })
    void this.history(false, filter)
  }

  async history(append = false, filter: HistoryFilter = this.store.state.alerts.filter): Promise<void> {
    this.historyAbort?.abort()
    const abort = new AbortController()
    this.historyAbort = abort
    const cursor = append ? (this.store.state.alerts.history.data?.cursor ?? null) : null
    if (!append) this.send({ type: 'history/loading' })
    const query: Query = { limit: 50, rule_id: filter.ruleId, since: filter.since, until: filter.until, cursor }
    try {
      const page = await this.api.get<Page<AlertRecord>>('/v1/alerts/history', query, { signal: abort.signal })
      const list = { items: page.data, cursor: page.pagination.cursor, hasMore: page.pagination.has_more }
      this.send({ type: 'history/loaded', page: list, append, at: Date.now() })
    } catch (e) {
      if (e instanceof ApiError && e.code === 'aborted') return
      this.send({ type: 'history/failed', error: toPanelError(e) })
    }
  }

  /** The last 24 h of alerts, behind the banners and the tab badge (D18, D50, D52). */
  async recent(): Promise<void> {
    const since = new Date(this.api.clock.now() - RECENT_WINDOW_MS).toISOString()
    try {
      const page = await this.api.get<Page<AlertRecord>>('/v1/alerts/history', { since, limit: 200 })
      this.send({ type: 'recent/loaded', records: page.data })
    } catch {
      // Banners keep what they had; the next refresh retries.
    }
  }

  async projects(): Promise<void> {
    try {
      const res = await this.api.get<{ data: ProjectRef[] }>('/v1/projects')
      this.send({ type: 'projects/loaded', projects: res.data })
    } catch {
      // Scope then shows project ids instead of names.
    }
  }

  /** D53: `totals.cost` of `/v1/llm-calls?since=<period start>&limit=1` per enabled cost_threshold rule. */
  async budgets(): Promise<void> {
    const now = this.api.clock.now()
    await Promise.all(
      budgetRules(this.knownRules ?? this.store.state.alerts.rules.data).map(async (rule) => {
        const q = budgetQuery(rule, now)
        try {
          const res = await this.api.get<{ totals: { cost: number | null } }>('/v1/llm-calls', { ...q, limit: 1 })
          this.send({ type: 'budget', ruleId: rule.rule_id, figure: { spent: res.totals.cost ?? 0, at: Date.now() } })
        } catch (e) {
          this.send({
            type: 'budget',
            ruleId: rule.rule_id,
            figure: { error: toPanelError(e).message, at: Date.now() },
          })
        }
      }),
    )
  }

  /** Create (ruleId null) or update a rule; rejects with the ApiError so the form can show field errors. */
  async save(ruleId: string | null, body: Record<string, unknown>): Promise<AlertRule> {
    const rule =
      ruleId === null
        ? await this.api.request<AlertRule>('/v1/alerts/rules', {}, { method: 'POST', body })
        : await this.api.request<AlertRule>(
            `/v1/alerts/rules/${encodeURIComponent(ruleId)}`,
            {},
            { method: 'PUT', body },
          )
    const known = this.knownRules ?? []
    this.knownRules = known.some((r) => r.rule_id === rule.rule_id)
      ? known.map((r) => (r.rule_id === rule.rule_id ? rule : r))
      : [...known, rule]
    this.send({ type: 'rule/saved', rule })
    if (rule.condition_type === 'cost_threshold') void this.budgets()
    return rule
  }

  async setEnabled(rule: AlertRule, enabled: boolean): Promise<void> {
    await this.save(rule.rule_id, { is_enabled: enabled })
  }

  async remove(ruleId: string): Promise<void> {
    await this.api.request(`/v1/alerts/rules/${encodeURIComponent(ruleId)}`, {}, { method: 'DELETE' })
    this.knownRules = (this.knownRules ?? []).filter((r) => r.rule_id !== ruleId)
    this.send({ type: 'rule/removed', ruleId })
  }

  async test(ruleId: string): Promise<TestResult[]> {
    const res = await this.api.request<{ results: TestResult[] }>(
      `/v1/alerts/rules/${encodeURIComponent(ruleId)}/test`,
      {},
      { method: 'POST', body: {} },
    )
    return res.results
  }
}
