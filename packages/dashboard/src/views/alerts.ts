/** Alerts view (`view=alerts`, dashboard.md D49–D50): rules with their condition in words, and the history. */
import type { TestResult } from '../app/alerts-controller.js'
import { h, reconcile, type Panel, type Row } from '../lib/h.js'
import type { AlertRecord, AlertRule, HistoryFilter, ProjectRef } from '../store/alerts.js'
import type { State } from '../store/state.js'
import { createRuleForm } from './alert-form.js'
import { createHistoryRow, createRuleRow, type RuleItem } from './alert-rows.js'
import { PanelStatus } from './common.js'

export interface AlertsViewDeps {
  canWrite: boolean
  now: () => number
  openAgent: (id: string) => void
  openTask: (id: string) => void
  reloadRules: () => void
  reloadHistory: () => void
  loadMore: () => void
  setFilter: (f: HistoryFilter) => void
  save: (ruleId: string | null, body: Record<string, unknown>) => Promise<AlertRule>
  setEnabled: (rule: AlertRule, enabled: boolean) => Promise<void>
  remove: (ruleId: string) => Promise<void>
  test: (ruleId: string) => Promise<TestResult[]>
  /** D50 Beyond: the desktop notifications opt-in, shown under the heading. */
  notifyControl: HTMLElement
}

/** `datetime-local` value (local time) ↔ ISO instant. */
function toIso(local: string): string | null {
  if (local === '') return null
  const t = new Date(local).getTime()
  return Number.isNaN(t) ? null : new Date(t).toISOString()
}

export function createAlertsView(deps: AlertsViewDeps): Panel<State> & { newRule(preset?: Partial<AlertRule>): void } {
  let projects: readonly ProjectRef[] = []
  const form = createRuleForm({
    save: deps.save,
    done: () => newBtn.focus(),
  })
  const newBtn = h('button', { type: 'button', class: 'primary new-rule' }, 'New rule')
  const loopOffer = h('button', { type: 'button', class: 'link enable-loop' }, 'Enable loop detection')
  newBtn.addEventListener('click', () => form.open(null, projects))
  loopOffer.addEventListener('click', () =>
    form.open(null, projects, {
      name: 'Loop detection',
      condition_type: 'loop_detected',
      condition_config: { window_seconds: 300, min_repeats: 5, match: 'any' },
    }),
  )
  const rulesStatus = new PanelStatus(deps.reloadRules)
  const rulesBody = h('tbody')
  const rulesTable = h(
    'table',
    { class: 'rules-table' },
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        ...['Name', 'Condition', 'Scope', 'Actions', 'Cooldown', 'Last fired', 'Enabled', ''].map((t) =>
          h('th', { scope: 'col' }, t),
        ),
      ),
    ),
    rulesBody,
  )
  const readOnlyNote = h(
    'p',
    { class: 'muted read-only-note' },
    'Read-only: this credential cannot change alert rules.',
  )
  readOnlyNote.hidden = deps.canWrite
  const rulesSection = h(
    'section',
    { class: 'rules-section', 'aria-labelledby': 'rules-h' },
    h(
      'div',
      { class: 'section-head' },
      h('h3', { id: 'rules-h' }, 'Rules'),
      deps.canWrite ? newBtn : null,
      ' ',
      deps.canWrite ? loopOffer : null,
    ),
    readOnlyNote,
    form.dom,
    rulesStatus.dom,
    rulesTable,
  )

  const ruleFilter = h(
    'select',
    { 'aria-label': 'Rule', class: 'hist-rule-filter' },
    h('option', { value: '' }, 'All rules'),
  )
  const since = h('input', { type: 'datetime-local', 'aria-label': 'Since', class: 'hist-since' })
  const until = h('input', { type: 'datetime-local', 'aria-label': 'Until', class: 'hist-until' })
  const apply = h('button', { type: 'button', class: 'hist-apply' }, 'Apply')
  const reset = h('button', { type: 'button', class: 'link' }, 'Clear')
  const readFilter = (): HistoryFilter => ({
    ruleId: ruleFilter.value === '' ? null : ruleFilter.value,
    since: toIso(since.value),
    until: toIso(until.value),
  })
  ruleFilter.addEventListener('change', () => deps.setFilter(readFilter()))
  apply.addEventListener('click', () => deps.setFilter(readFilter()))
  reset.addEventListener('click', () => {
    ruleFilter.value = ''
    since.value = ''
    until.value = ''
    deps.setFilter(readFilter())
  })
  const histStatus = new PanelStatus(deps.reloadHistory)
  const histBody = h('tbody')
  const more = h('button', { type: 'button', class: 'load-more' }, 'Load more')
  more.addEventListener('click', deps.loadMore)
  const histSection = h(
    'section',
    { class: 'history-section', 'aria-labelledby': 'hist-h' },
    h('h3', { id: 'hist-h' }, 'History'),
    h(
      'div',
      { class: 'hist-filters', role: 'group', 'aria-label': 'History filters' },
      ruleFilter,
      h('label', null, 'Since ', since),
      h('label', null, 'Until ', until),
      apply,
      reset,
    ),
    histStatus.dom,
    h(
      'table',
      { class: 'history-table' },
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          ...['Fired', 'Rule', 'Condition', 'Agent', 'Task', 'Measured', 'Actions'].map((t) =>
            h('th', { scope: 'col' }, t),
          ),
        ),
      ),
      histBody,
    ),
    more,
  )
  const dom = h(
    'section',
    { class: 'alerts-view', 'aria-label': 'Alerts' },
    h('h2', null, 'Alerts'),
    deps.notifyControl,
    rulesSection,
    histSection,
  )

  const ruleRows = new Map<string, Row<RuleItem>>()
  const histRows = new Map<string, Row<AlertRecord>>()
  let ruleOptions = ''
  let historyRequested = false
  return {
    dom,
    newRule(preset) {
      form.open(null, projects, preset)
    },
    update(state) {
      const a = state.alerts
      projects = a.projects
      const now = deps.now()
      if (!historyRequested) {
        historyRequested = true
        if (a.history.data === null && !a.history.loading) queueMicrotask(deps.reloadHistory)
      }
      const rules = a.rules.data ?? []
      const hasRules = rulesStatus.update(a.rules, (d) => d.length === 0, 'No alert rules yet', now)
      rulesTable.hidden = !hasRules
      loopOffer.hidden = a.rules.data === null || rules.some((r) => r.condition_type === 'loop_detected')
      reconcile(
        rulesBody,
        ruleRows,
        rules.map((rule) => ({ rule, projects: a.projects, budget: a.budgets[rule.rule_id], now })),
        (i) => i.rule.rule_id,
        (i) => createRuleRow(deps, (rule) => form.open(rule, projects), i),
      )
      const options = rules.map((r) => `${r.rule_id}\u0000${r.name}`).join('\u0001')
      if (options !== ruleOptions) {
        ruleOptions = options
        const value = ruleFilter.value
        ruleFilter.replaceChildren(
          h('option', { value: '' }, 'All rules'),
          ...rules.map((r) => h('option', { value: r.rule_id }, r.name)),
        )
        ruleFilter.value = rules.some((r) => r.rule_id === value) ? value : ''
      }
      const filtered = a.filter.ruleId !== null || a.filter.since !== null || a.filter.until !== null
      const hasHistory = histStatus.update(
        a.history,
        (d) => d.items.length === 0,
        filtered ? 'No alerts match these filters' : 'No alerts have fired yet',
        now,
      )
      const items = a.history.data?.items ?? []
      reconcile(
        histBody,
        histRows,
        hasHistory ? items : [],
        (r) => r.alert_id,
        (r) => createHistoryRow(deps, r),
      )
      more.hidden = !(a.history.data?.hasMore ?? false)
    },
    destroy() {},
  }
}
