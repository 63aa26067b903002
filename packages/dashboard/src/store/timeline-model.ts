/** Pure timeline figures (dashboard.md D34, D35). */
import type { WireEvent } from '@hiveboard/shared'
import { eventData, eventKind } from '../lib/narrate.js'
import type { ActionNode, Timeline } from './types.js'

export interface Breakdown {
  llm: number
  tools: number
  other: number
  total: number
}

function llmMs(events: readonly WireEvent[]): number {
  let sum = 0
  for (const e of events) {
    if (eventKind(e) !== 'llm_call') continue
    const d = eventData(e).duration_ms
    if (typeof d === 'number' && d > 0) sum += d
  }
  return sum
}

function nodeEvents(n: ActionNode): WireEvent[] {
  return [...n.events, ...n.children.flatMap(nodeEvents)]
}

export function timeBreakdown(t: Timeline, elapsedMs: number | null): Breakdown {
  const llm = llmMs(t.events)
  let tools = 0
  for (const root of t.action_tree) tools += Math.max(0, (root.duration_ms ?? 0) - llmMs(nodeEvents(root)))
  const duration = t.duration_ms ?? elapsedMs ?? 0
  const other = Math.max(0, duration - llm - tools)
  return { llm, tools, other, total: Math.max(duration, llm + tools) }
}

export interface Failure {
  event: WireEvent
  text: string
  chained: WireEvent[]
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null
}

export function failures(t: Timeline): Failure[] {
  const nodes = new Map<string, ActionNode>()
  const walk = (n: ActionNode) => {
    nodes.set(n.action_id, n)
    n.children.forEach(walk)
  }
  t.action_tree.forEach(walk)
  const out: Failure[] = []
  for (const e of t.events) {
    if (e.event_type !== 'action_failed' && e.event_type !== 'task_failed') continue
    const node = e.action_id === null ? undefined : nodes.get(e.action_id)
    const p = e.payload ?? {}
    const d = eventData(e)
    const type = node?.error?.type ?? str(p.exception_type) ?? str(d.exception_type)
    const message = node?.error?.message ?? str(p.exception_message) ?? str(d.exception_message) ?? str(p.summary)
    const text = [type, message].filter((x) => x !== null).join(': ') || e.event_type
    const chained = t.events.filter(
      (c) => c.parent_event_id === e.event_id && (c.event_type === 'retry_started' || c.event_type === 'escalated'),
    )
    out.push({ event: e, text, chained })
  }
  return out
}

/** D37: first 200 and last 500 nodes over 1,000 (the middle behind "Show N more"). */
export function flatWindow<T>(items: readonly T[], expanded: boolean): { head: T[]; hidden: number; tail: T[] } {
  if (expanded || items.length <= 1000) return { head: [...items], hidden: 0, tail: [] }
  return { head: items.slice(0, 200), hidden: items.length - 700, tail: items.slice(-500) }
}

/** D37 connector width ∝ log(gap), 24–160 px. */
export function connectorWidth(gapMs: number): number {
  const w = 24 + Math.log10(Math.max(1, gapMs)) * 24
  return Math.round(Math.min(160, Math.max(24, w)))
}
