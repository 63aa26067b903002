/** Rows of the Alerts view (D49, D50): a rule with its controls, a history record with its links. */
import type { TestResult } from '../app/alerts-controller.js'
import {
  actionTakenWords,
  actionWords,
  conditionWords,
  scopeWords,
  snapshotWords,
  spanWords,
} from '../lib/alert-words.js'
import { formatAgo } from '../lib/format.js'
import { h, setText, type Row } from '../lib/h.js'
import { CONDITION_LABEL } from '../lib/rule-fields.js'
import type { AlertRecord, AlertRule, BudgetFigure, ProjectRef } from '../store/alerts.js'
import type { AlertsViewDeps } from './alerts.js'
import { createBudgetBar } from './budgets.js'

export interface RuleItem {
  rule: AlertRule
  projects: readonly ProjectRef[]
  budget: BudgetFigure | undefined
  now: number
}

/** "3m ago", or "just now" (never "just now ago"). */
function agoText(ms: number): string {
  const text = formatAgo(ms / 1000)
  return text === 'just now' ? text : `${text} ago`
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : 'Something went wrong'
}

function testWords(r: TestResult): string {
  const target = r.url ?? r.to ?? ''
  const http = r.http_status === null || r.http_status === undefined ? '' : ` ${r.http_status}`
  const took = r.duration_ms === null || r.duration_ms === undefined ? '' : ` (${r.duration_ms} ms)`
  return `${r.type} ${target}: ${r.status}${http}${took}${r.error === null || r.error === undefined ? '' : ` — ${r.error}`}`
}

export function createRuleRow(deps: AlertsViewDeps, edit: (rule: AlertRule) => void, first: RuleItem): Row<RuleItem> {
  let cur = first
  const name = h('td', { class: 'rule-name' })
  const condition = h('span', { class: 'rule-condition' })
  const budget = createBudgetBar()
  const conditionCell = h('td', null, condition, budget.dom)
  const scope = h('td', { class: 'rule-scope' })
  const actions = h('td', { class: 'rule-actions' })
  const cooldown = h('td', { class: 'rule-cooldown' })
  const lastFired = h('td', { class: 'rule-last-fired' })
  const toggle = h('input', { type: 'checkbox', role: 'switch', class: 'rule-enabled' })
  toggle.disabled = !deps.canWrite
  const message = h('div', { class: 'row-message', role: 'status' })
  const editBtn = h('button', { type: 'button', class: 'link rule-edit' }, 'Edit')
  const testBtn = h('button', { type: 'button', class: 'link rule-test' }, 'Send test')
  const deleteBtn = h('button', { type: 'button', class: 'link rule-delete' }, 'Delete')
  const confirmYes = h('button', { type: 'button', class: 'danger rule-delete-confirm' }, 'Delete')
  const confirmNo = h('button', { type: 'button' }, 'Cancel')
  const confirm = h(
    'span',
    { class: 'confirm', role: 'group' },
    h('span', { class: 'confirm-text' }),
    ' ',
    confirmYes,
    ' ',
    confirmNo,
  )
  confirm.hidden = true
  const controls = h('td', { class: 'rule-controls' })
  if (deps.canWrite) controls.append(editBtn, ' ', testBtn, ' ', deleteBtn, confirm)
  controls.append(message)
  const dom = h(
    'tr',
    { class: 'rule-row' },
    name,
    conditionCell,
    scope,
    actions,
    cooldown,
    lastFired,
    h('td', null, toggle),
    controls,
  )
  const say = (text: string, isError = false) => {
    setText(message, text)
    message.classList.toggle('error-text', isError)
  }
  toggle.addEventListener('change', () => {
    const want = toggle.checked
    toggle.disabled = true
    deps
      .setEnabled(cur.rule, want)
      .then(() => say(''))
      .catch((e: unknown) => {
        toggle.checked = !want
        say(errorText(e), true)
      })
      .finally(() => (toggle.disabled = false))
  })
  editBtn.addEventListener('click', () => edit(cur.rule))
  testBtn.addEventListener('click', () => {
    testBtn.disabled = true
    say('Sending…')
    deps
      .test(cur.rule.rule_id)
      .then((results) =>
        say(results.length === 0 ? 'No actions to test (in-app only)' : results.map(testWords).join('; ')),
      )
      .catch((e: unknown) => say(errorText(e), true))
      .finally(() => (testBtn.disabled = false))
  })
  deleteBtn.addEventListener('click', () => {
    setText(confirm.firstChild as HTMLElement, `Delete “${cur.rule.name}”?`)
    confirm.hidden = false
    deleteBtn.hidden = true
    confirmNo.focus()
  })
  confirmNo.addEventListener('click', () => {
    confirm.hidden = true
    deleteBtn.hidden = false
    deleteBtn.focus()
  })
  confirmYes.addEventListener('click', () => {
    confirmYes.disabled = true
    deps
      .remove(cur.rule.rule_id)
      .catch((e: unknown) => {
        say(errorText(e), true)
        confirm.hidden = true
        deleteBtn.hidden = false
      })
      .finally(() => (confirmYes.disabled = false))
  })
  return {
    dom,
    update(item) {
      cur = item
      const r = item.rule
      dom.dataset.ruleId = r.rule_id
      dom.classList.toggle('is-disabled', !r.is_enabled)
      setText(name, r.name)
      setText(condition, conditionWords(r))
      condition.title = CONDITION_LABEL[r.condition_type] ?? r.condition_type
      const isBudget = r.condition_type === 'cost_threshold' && r.is_enabled
      budget.dom.hidden = !isBudget
      if (isBudget) budget.update(r, item.budget)
      setText(scope, scopeWords(r, item.projects))
      setText(actions, actionWords(r.actions))
      setText(cooldown, r.cooldown_seconds === 0 ? 'none' : spanWords(r.cooldown_seconds))
      setText(lastFired, r.last_fired_at === null ? 'Never' : agoText(item.now - Date.parse(r.last_fired_at)))
      lastFired.title = r.last_fired_at ?? ''
      if (document.activeElement !== toggle) toggle.checked = r.is_enabled
      toggle.setAttribute('aria-label', `Enabled: ${r.name}`)
    },
  }
}

export function createHistoryRow(deps: AlertsViewDeps, first: AlertRecord): Row<AlertRecord> {
  const fired = h('td', { class: 'hist-fired' })
  const rule = h('td', { class: 'hist-rule' })
  const type = h('td', { class: 'hist-type' })
  const agentBtn = h('button', { type: 'button', class: 'link hist-agent' })
  const taskBtn = h('button', { type: 'button', class: 'link hist-task' })
  const snapshot = h('td', { class: 'hist-snapshot' })
  const taken = h('td', { class: 'hist-actions' })
  let cur = first
  agentBtn.addEventListener('click', () => cur.related_agent_id !== null && deps.openAgent(cur.related_agent_id))
  taskBtn.addEventListener('click', () => cur.related_task_id !== null && deps.openTask(cur.related_task_id))
  const dom = h(
    'tr',
    { class: 'history-row' },
    fired,
    rule,
    type,
    h('td', null, agentBtn),
    h('td', null, taskBtn),
    snapshot,
    taken,
  )
  return {
    dom,
    update(r) {
      cur = r
      dom.dataset.alertId = r.alert_id
      const at = new Date(r.fired_at)
      setText(fired, at.toLocaleString())
      fired.title = `${r.fired_at} (UTC)`
      setText(rule, r.rule_name)
      setText(type, r.condition_type + (r.resolved_at !== null && r.resolved_at !== undefined ? ' · resolved' : ''))
      setText(agentBtn, r.related_agent_id ?? '')
      agentBtn.hidden = r.related_agent_id === null
      setText(taskBtn, r.related_task_id ?? '')
      taskBtn.hidden = r.related_task_id === null
      setText(snapshot, snapshotWords(r.condition_snapshot))
      setText(taken, r.actions_taken.length === 0 ? 'in-app' : r.actions_taken.map(actionTakenWords).join('; '))
    },
  }
}
