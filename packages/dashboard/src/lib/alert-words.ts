/** Alert rules and records in words (dashboard.md D49, D50, D52). Pure. */
import type { AlertRecord, AlertRule, ProjectRef, RuleAction } from '../store/alerts.js'
import { costConfig } from '../store/budgets.js'
import { formatDuration } from './format.js'

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null
}

/** A configured span in words: "30 s", "5 min", "24 h", "1 d", else the D22 duration. */
export function spanWords(seconds: number): string {
  if (seconds < 60) return `${seconds} s`
  if (seconds % 86_400 === 0 && seconds >= 2 * 86_400) return `${seconds / 86_400} d`
  if (seconds % 3600 === 0) return `${seconds / 3600} h`
  if (seconds % 60 === 0) return `${seconds / 60} min`
  return formatDuration(seconds * 1000)
}

function money(n: number): string {
  return `$${Number.isInteger(n) ? String(n) : n.toFixed(2)}`
}

const MATCH_WORDS: Record<string, string> = {
  llm_call: 'identical LLM calls',
  action: 'identical actions',
  any: 'identical LLM calls or actions',
}

/** The condition in words, e.g. "Cost ≥ $10 per rolling 24 h · agent X" (D49). */
export function conditionWords(rule: Pick<AlertRule, 'condition_type' | 'condition_config'>): string {
  const c = rule.condition_config
  const agent = str(c['agent_id'])
  const agentPart = agent === null ? '' : ` · agent ${agent}`
  switch (rule.condition_type) {
    case 'agent_stuck': {
      const t = num(c['stuck_threshold_seconds'])
      const who = agent === null ? 'Any agent' : `Agent ${agent}`
      return `${who} is stuck (${t === null ? "the agent's own threshold" : `no heartbeat for ${spanWords(t)}`})`
    }
    case 'heartbeat_lost':
      return `No heartbeat for ${spanWords(num(c['window_seconds']) ?? 300)}${agentPart}`
    case 'task_failed': {
      const type = str(c['task_type'])
      return `A task fails${type === null ? '' : ` · type ${type}`}`
    }
    case 'duration_exceeded':
      return `A task takes longer than ${formatDuration(num(c['threshold_ms']) ?? 60_000)}`
    case 'error_rate':
      return `Action error rate ≥ ${num(c['threshold_percent']) ?? 50}% over ${spanWords(
        (num(c['window_minutes']) ?? 60) * 60,
      )} (at least ${num(c['min_actions']) ?? 5} actions)`
    case 'cost_threshold': {
      const cc = costConfig(rule as AlertRule)
      const per =
        cc.period === 'calendar_day'
          ? 'per UTC day'
          : cc.period === 'calendar_month'
            ? 'per UTC month'
            : `per rolling ${spanWords(cc.window_hours * 3600)}`
      const model = cc.model === null ? '' : ` · model ${cc.model}`
      return `Cost ≥ ${money(cc.threshold_usd)} ${per}${agentPart}${model}`
    }
    case 'loop_detected': {
      const match = MATCH_WORDS[str(c['match']) ?? 'any'] ?? MATCH_WORDS['any']
      return `${num(c['min_repeats']) ?? 5}+ ${match} within ${spanWords(num(c['window_seconds']) ?? 300)}${agentPart}`
    }
    case 'custom_event': {
      const parts = [
        str(c['event_type']) === null ? null : `type ${str(c['event_type'])}`,
        str(c['payload_kind']) === null ? null : `kind ${str(c['payload_kind'])}`,
        str(c['min_severity']) === null ? null : `severity ≥ ${str(c['min_severity'])}`,
      ].filter((p) => p !== null)
      return parts.length === 0 ? 'Any event' : `An event with ${parts.join(', ')}`
    }
    case 'approval_waiting':
      return `An approval waits longer than ${spanWords(num(c['threshold_seconds']) ?? 600)}${agentPart}`
    case 'escalation_open':
      return `An escalation stays open longer than ${spanWords(num(c['threshold_seconds']) ?? 600)}${agentPart}`
  }
}

/** Scope in words: project, environment, group, agent filters; "All agents" without any. */
export function scopeWords(rule: Pick<AlertRule, 'project_id' | 'filters'>, projects: readonly ProjectRef[]): string {
  const parts: string[] = []
  if (rule.project_id !== null) {
    const p = projects.find((x) => x.project_id === rule.project_id)
    parts.push(`project ${p?.name ?? rule.project_id}`)
  }
  if (rule.filters.environment !== null) parts.push(`env ${rule.filters.environment}`)
  if (rule.filters.group !== null) parts.push(`group ${rule.filters.group}`)
  if (rule.filters.agent_id !== null) parts.push(`agent ${rule.filters.agent_id}`)
  return parts.length === 0 ? 'All agents' : parts.join(' · ')
}

export function actionWords(actions: readonly RuleAction[]): string {
  if (actions.length === 0) return 'In-app only'
  return actions
    .map((a) => (a.type === 'webhook' ? `Webhook${a.format === 'slack' ? ' (Slack)' : ''} ${a.url}` : `E-mail ${a.to}`))
    .join(', ')
}

/** One taken action, e.g. "webhook https://… sent (200)". */
export function actionTakenWords(a: Record<string, unknown>): string {
  const target = str(a['url']) ?? str(a['to']) ?? ''
  const status = str(a['status']) ?? 'unknown'
  const http = num(a['http_status'])
  const error = str(a['error'])
  return [str(a['type']) ?? 'action', target, status, http === null ? '' : `(${http})`, error === null ? '' : error]
    .filter((x) => x !== '')
    .join(' ')
}

/** The record's measured values as "key: value" text, objects flattened to JSON (never markup). */
export function snapshotWords(snapshot: Record<string, unknown>): string {
  return Object.entries(snapshot)
    .filter(([k, v]) => v !== null && v !== undefined && k !== 'signature')
    .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v as string | number | boolean)}`)
    .join(' · ')
}

/** A fired alert in words for banners, toasts and announcements (D50, D52). */
export function alertSentence(r: AlertRecord): string {
  const s = r.condition_snapshot
  const agent = str(s['agent_id']) ?? r.related_agent_id ?? 'an agent'
  const task = str(s['task_id']) ?? r.related_task_id
  let what: string
  switch (r.condition_type) {
    case 'agent_stuck': {
      const age = num(s['heartbeat_age_seconds'])
      const t = num(s['threshold_seconds'])
      what = `${agent} is stuck${age === null ? '' : ` — no heartbeat for ${spanWords(Math.round(age))}`}${
        t === null ? '' : ` (threshold ${spanWords(t)})`
      }`
      break
    }
    case 'heartbeat_lost': {
      const age = num(s['heartbeat_age_seconds'])
      what = `${agent} lost its heartbeat${age === null ? '' : ` — last ${spanWords(Math.round(age))} ago`}`
      break
    }
    case 'task_failed': {
      const type = str(s['exception_type'])
      const msg = str(s['exception_message'])
      const why = [type, msg].filter((x) => x !== null).join(': ')
      what = `${agent} failed ${task ?? 'a task'}${why === '' ? '' : ` — ${why}`}`
      break
    }
    case 'duration_exceeded':
      what = `${task ?? 'A task'} took ${formatDuration(num(s['duration_ms']))} (threshold ${formatDuration(
        num(s['threshold_ms']),
      )})`
      break
    case 'error_rate':
      what = `Error rate ${num(s['error_rate']) ?? '—'}% (${num(s['failed']) ?? 0} of ${num(s['finished']) ?? 0} actions)`
      break
    case 'cost_threshold': {
      const total = num(s['total_cost_usd'])
      const limit = num(s['threshold_usd'])
      what = `Cost ${total === null ? '—' : `$${total.toFixed(2)}`} reached the ${limit === null ? '' : `$${limit.toFixed(2)} `}budget`
      break
    }
    case 'loop_detected':
      what = loopWords(r)
      break
    case 'approval_waiting':
    case 'escalation_open': {
      const waited = num(s['waiting_seconds'])
      const kind = r.condition_type === 'approval_waiting' ? 'waiting for approval' : 'escalated'
      what = `${task ?? 'A task'} ${kind}${waited === null ? '' : ` for ${spanWords(Math.round(waited))}`}`
      break
    }
    default: {
      const type = str(s['event_type'])
      what = `${agent}: ${[type, str(s['payload_kind'])].filter((x) => x !== null).join(' ') || 'event'}`
    }
  }
  return `${r.rule_name}: ${what}`
}

/** D52: "X repeated {name} → {model} 37× in 5 min". */
export function loopWords(r: AlertRecord): string {
  const s = r.condition_snapshot
  const agent = str(s['agent_id']) ?? r.related_agent_id ?? 'An agent'
  const name = str(s['name']) ?? 'the same call'
  const model = str(s['model'])
  const count = num(s['count'])
  const window = num(s['window_seconds'])
  return `${agent} repeated ${name}${model === null ? '' : ` → ${model}`}${count === null ? '' : ` ${count}×`}${
    window === null ? '' : ` in ${spanWords(window)}`
  }`
}
