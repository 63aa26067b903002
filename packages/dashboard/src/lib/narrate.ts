/** One sentence per event (dashboard.md D47). Pure: no DOM. */
import type { Json, JsonObject, WireEvent } from '@hiveboard/shared'
import { cut, formatAgo, formatCost, formatDuration, formatTokens, modelTag } from './format.js'

export type Part = { kind: 'text'; text: string } | { kind: 'agent'; text: string } | { kind: 'task'; text: string }

/**
 * Templates: `{name}` placeholders; `[...]` groups vanish when a placeholder inside is missing (or when all their
 * nested groups vanished and they hold no placeholder of their own). A missing top-level placeholder is dropped.
 */
const BY_KIND: Record<string, string> = {
  llm_call: '{agent} called {model}[ for {name}][ ([{tokens_in} in / {tokens_out} out][, {cost}])]',
  queue_snapshot: '{agent} has {depth} queued[ (oldest {age})]',
  todo: '{agent}[ {todo_action}] a TODO[ {todo_id}][: {summary}]',
  scheduled: '{agent} reported {items} scheduled items',
  plan_created: '{agent} created a plan[ with {steps} steps][: {summary}]',
  plan_step: '{agent}[ {step_action}] step {step}[ of {total}][: {summary}]',
  issue: '{agent} reported a[ {severity}] issue[: {summary}][ (×{count})]',
}

const BY_TYPE: Record<string, string> = {
  agent_registered: '{agent} registered[ (version {version})]',
  heartbeat: '{agent} sent a heartbeat[: {summary}]',
  task_started: '{agent} started {task}[ ({task_type})]',
  task_completed: '{agent} completed {task}[ in {duration}][ ({cost})]',
  task_failed: '{agent} failed {task}[ — [{type}: ]{message}][ after {duration}]',
  action_started: '{agent} started {action}[ in {task}]',
  action_completed: '{agent} completed {action}[ in {duration}]',
  action_failed: '{action} failed[ — [{type}: ]{message}]',
  retry_started: '{agent} retried {action}[ (attempt {attempt})][: {reason}]',
  escalated: '{agent} escalated {task}[ to {assigned_to}][: {reason}]',
  approval_requested: '{agent} is waiting for approval[ from {approver}][ on {task}]',
  approval_received: '{agent} received[ {decision}] approval[ from {approved_by}][ on {task}]',
  custom: '{agent}: {summary}',
}

export const FALLBACK = '{agent}: {summary}'

function obj(v: Json | null | undefined): JsonObject | null {
  return v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v) ? v : null
}

function str(v: Json | undefined | null): string | null {
  if (typeof v === 'string') return v === '' ? null : v
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  return null
}

function num(v: Json | undefined | null): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null
}

export function eventData(e: Pick<WireEvent, 'payload'>): JsonObject {
  return obj(e.payload?.data) ?? {}
}

export function eventKind(e: Pick<WireEvent, 'payload'>): string | null {
  return str(e.payload?.kind)
}

/** The values each template may use; null = missing. */
export function values(e: WireEvent): Record<string, string | null> {
  const p = e.payload ?? {}
  const d = eventData(e)
  const summary = str(p.summary)
  const estimated = str(d.cost_source) === 'estimated'
  const cost = num(d.cost)
  const items = Array.isArray(d.items) ? String(d.items.length) : null
  const steps = Array.isArray(d.steps) ? String(d.steps.length) : null
  const stepIndex = num(d.step_index)
  const duration = e.duration_ms ?? num(d.duration_ms)
  return {
    agent: e.agent_id,
    task: e.task_id,
    task_type: e.task_type,
    summary: summary === null ? null : cut(summary, 160),
    duration: duration === null ? null : formatDuration(duration),
    cost: cost === null ? null : formatCost(cost, 'table', estimated),
    action: str(p.action_name) ?? str(d.action_name) ?? e.action_id,
    type: str(p.exception_type) ?? str(d.exception_type),
    message: str(p.exception_message) ?? str(d.exception_message) ?? str(p.error) ?? str(d.error),
    attempt: str(d.attempt),
    reason: str(d.reason),
    assigned_to: str(d.assigned_to),
    approver: str(d.approver),
    approved_by: str(d.approved_by),
    decision: str(d.decision),
    version: str(d.version) ?? str(p.agent_version),
    model: str(d.model) === null ? null : modelTag(str(d.model)),
    name: str(d.name),
    tokens_in: num(d.tokens_in) === null ? null : formatTokens(num(d.tokens_in)),
    tokens_out: num(d.tokens_out) === null ? null : formatTokens(num(d.tokens_out)),
    depth: str(d.depth),
    age: num(d.oldest_age_seconds) === null ? null : formatAgo(num(d.oldest_age_seconds)),
    todo_action: str(d.action),
    todo_id: str(d.todo_id),
    items,
    steps,
    step_action: str(d.action),
    step: stepIndex === null ? null : String(stepIndex + 1),
    total: str(d.total_steps),
    severity: str(d.severity),
    count: str(d.occurrence_count),
  }
}

export function templateFor(e: Pick<WireEvent, 'event_type' | 'payload'>): string {
  const kind = eventKind(e)
  if (kind !== null && BY_KIND[kind] !== undefined) return BY_KIND[kind]
  return BY_TYPE[e.event_type] ?? FALLBACK
}

/** A sentence must start with its subject: without an action name, the agent speaks. */
function subjectTemplate(tpl: string, vals: Record<string, string | null>): string {
  return tpl.startsWith('{action}') && vals.action === null ? `{agent}: action${tpl.slice('{action}'.length)}` : tpl
}

interface Out {
  parts: Part[]
  missing: boolean
  placeholders: number
  groupResult?: (kept: boolean) => void
}

function render(tpl: string, vals: Record<string, string | null>, start: number, out: Out): number {
  let i = start
  let text = ''
  const flush = () => {
    if (text !== '') out.parts.push({ kind: 'text', text })
    text = ''
  }
  while (i < tpl.length) {
    const c = tpl[i]
    if (c === ']') break
    if (c === '[') {
      flush()
      const inner: Out = { parts: [], missing: false, placeholders: 0 }
      const nested: { kept: number; total: number } = { kept: 0, total: 0 }
      i = renderGroup(tpl, vals, i + 1, inner, nested)
      const drop = inner.missing || (inner.placeholders === 0 && nested.total > 0 && nested.kept === 0)
      if (!drop) out.parts.push(...inner.parts)
      out.groupResult?.(!drop)
      continue
    }
    if (c === '{') {
      const end = tpl.indexOf('}', i)
      const name = tpl.slice(i + 1, end)
      const value = vals[name] ?? null
      out.placeholders++
      flush()
      if (value === null) out.missing = true
      else out.parts.push({ kind: name === 'agent' ? 'agent' : name === 'task' ? 'task' : 'text', text: value })
      i = end + 1
      continue
    }
    text += c
    i++
  }
  flush()
  return i
}

function renderGroup(
  tpl: string,
  vals: Record<string, string | null>,
  start: number,
  inner: Out,
  nested: { kept: number; total: number },
): number {
  inner.groupResult = (kept) => {
    nested.total++
    if (kept) nested.kept++
  }
  const i = render(tpl, vals, start, inner)
  return i + 1 // past ']'
}

function tidy(parts: Part[]): Part[] {
  const merged: Part[] = []
  for (const part of parts) {
    const last = merged[merged.length - 1]
    if (part.kind === 'text' && last !== undefined && last.kind === 'text') last.text += part.text
    else merged.push({ ...part })
  }
  for (const part of merged) {
    if (part.kind === 'text') part.text = part.text.replace(/\(, /g, '(').replace(/ {2,}/g, ' ')
  }
  const first = merged[0]
  if (first?.kind === 'text') first.text = first.text.replace(/^\s+/, '')
  const last = merged[merged.length - 1]
  if (last?.kind === 'text') last.text = last.text.replace(/[\s:—]+$/, '')
  return merged.filter((p) => p.text !== '')
}

export function narrateParts(e: WireEvent): Part[] {
  const vals = values(e)
  const out: Out = { parts: [], missing: false, placeholders: 0 }
  render(subjectTemplate(templateFor(e), vals), vals, 0, out)
  const parts = tidy(out.parts)
  if (parts.length <= 1 && parts[0]?.kind === 'agent') {
    return tidy([...parts, { kind: 'text', text: `: ${vals.summary ?? e.event_type}` }])
  }
  return parts
}

export function narrate(e: WireEvent): string {
  return narrateParts(e)
    .map((p) => p.text)
    .join('')
}
