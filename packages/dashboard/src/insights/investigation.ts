/** Insights Investigation pieces (D55): header stats, queue with ages and idle warning, issues. */
import type { WireAgent } from '@hiveboard/shared'
import { formatAgo, formatAgoPhrase } from '../lib/format.js'
import { h } from '../lib/h.js'

export interface AgentPipeline {
  queue: {
    depth: number
    oldest_age_seconds: number | null
    items: { id: string; summary?: string; queued_at?: string }[]
  } | null
  issues: { issue_id: string; summary: string; severity: string; occurrence_count: number }[]
}

export function stat(label: string, value: string | Node, cls: string): HTMLElement {
  return h(
    'div',
    { class: `stat ${cls}` },
    h('span', { class: 'stat-value' }, value),
    h('span', { class: 'stat-label' }, label),
  )
}

export function drawPipeline(p: AgentPipeline, agent: WireAgent | undefined): Node[] {
  const q = p.queue
  const now = Date.now()
  const out: Node[] = []
  if (q === null || q.depth === 0) out.push(h('p', { class: 'muted inv-queue' }, 'Queue is empty — agent is caught up'))
  else {
    out.push(
      h(
        'p',
        { class: 'inv-queue' },
        `Queue ${q.depth} · oldest ${q.oldest_age_seconds === null ? '—' : formatAgo(q.oldest_age_seconds)}`,
      ),
    )
    if (agent?.derived_status === 'idle')
      out.push(h('p', { class: 'banner warn' }, `Idle with ${q.depth} queued items`))
    out.push(
      h(
        'ul',
        { class: 'inv-queue-items' },
        ...q.items.map((i) =>
          h(
            'li',
            null,
            i.summary ?? i.id,
            h(
              'span',
              { class: 'muted' },
              i.queued_at === undefined ? '' : ` · ${formatAgoPhrase((now - Date.parse(i.queued_at)) / 1000)}`,
            ),
          ),
        ),
      ),
    )
  }
  out.push(
    p.issues.length === 0
      ? h('p', { class: 'muted inv-issues' }, 'No active issues')
      : h(
          'ul',
          { class: 'inv-issues' },
          ...p.issues.map((i) =>
            h('li', { class: `sev-${i.severity}` }, `${i.severity} · ${i.summary} ×${i.occurrence_count}`),
          ),
        ),
  )
  return out
}
