/** Agent Pipeline tab (dashboard.md D29): queue, issues, TODOs, scheduled — each with its own empty line. */
import { formatAgo, formatAgoPhrase, formatDuration } from '../lib/format.js'
import { h, type Panel } from '../lib/h.js'
import type { State } from '../store/state.js'
import { endpointPanel, type EndpointDeps } from './endpoint.js'

interface AgentPipeline {
  queue: {
    depth: number
    oldest_age_seconds: number | null
    items: { id: string; priority?: string; source?: string; summary?: string; queued_at?: string }[]
    processing: { id?: string; summary?: string; started_at?: string } | null
  } | null
  todos: {
    todo_id: string
    summary: string | null
    priority: string | null
    source: string | null
    due_by: string | null
  }[]
  scheduled: {
    id: string
    name: string
    next_run: string | null
    interval: string | null
    enabled: boolean
    last_status: string | null
  }[]
  issues: {
    issue_id: string
    summary: string
    severity: string
    category: string | null
    context: Record<string, unknown> | null
    occurrence_count: number
    timestamp: string
  }[]
}

export function oldestClass(seconds: number | null): string {
  if (seconds === null) return ''
  return seconds > 1800 ? 'bad' : seconds > 300 ? 'warn' : ''
}

function section(title: string, empty: string, items: HTMLElement[]): HTMLElement {
  return h(
    'section',
    { class: `pl-${title.toLowerCase()}` },
    h('h3', null, title),
    items.length === 0 ? h('p', { class: 'muted' }, empty) : h('ul', { class: 'pl-list' }, ...items),
  )
}

function render(p: AgentPipeline, idle: boolean, now: number): HTMLElement[] {
  const q = p.queue
  const queueItems =
    q === null
      ? []
      : q.items.map((i) => {
          const age = i.queued_at === undefined ? null : (now - Date.parse(i.queued_at)) / 1000
          return h(
            'li',
            null,
            `${i.summary ?? i.id}`,
            h(
              'span',
              { class: 'muted' },
              ` · ${i.priority ?? 'normal'} · ${i.source ?? '—'} · queued ${formatAgoPhrase(age)}`,
            ),
          )
        })
  const head: HTMLElement[] = []
  if (q !== null) {
    head.push(
      h(
        'p',
        { class: 'pl-queue-head' },
        `Depth ${q.depth} · oldest `,
        h(
          'span',
          { class: oldestClass(q.oldest_age_seconds) },
          q.oldest_age_seconds === null ? '—' : formatAgo(q.oldest_age_seconds),
        ),
        q.processing === null
          ? ''
          : ` · processing ${q.processing.summary ?? q.processing.id ?? ''}${q.processing.started_at === undefined ? '' : ` for ${formatDuration(now - Date.parse(q.processing.started_at))}`}`,
      ),
    )
    if (idle && q.depth > 0) head.push(h('p', { class: 'banner warn' }, `Idle with ${q.depth} queued items`))
  }
  const queue = section('Queue', 'Queue is empty — agent is caught up', queueItems)
  queue.insertBefore(h('div', null, ...head), queue.children[1] ?? null)
  return [
    queue,
    section(
      'Issues',
      'No active issues',
      p.issues.map((i) =>
        h(
          'li',
          { class: `sev-${i.severity}` },
          h('strong', null, i.severity),
          ` ${i.summary}`,
          h(
            'span',
            { class: 'muted' },
            ` · ${i.category ?? '—'} · ×${i.occurrence_count}${i.occurrence_count > 5 ? ' · Recurring' : ''}`,
          ),
          i.context === null ? null : h('span', { class: 'mono muted' }, ` ${JSON.stringify(i.context)}`),
        ),
      ),
    ),
    section(
      'TODOs',
      'No open TODOs',
      p.todos.map((t) => {
        const overdue = t.due_by !== null && Date.parse(t.due_by) < now
        return h(
          'li',
          { class: overdue ? 'bad' : '' },
          t.summary ?? t.todo_id,
          h(
            'span',
            { class: 'muted' },
            ` · ${t.priority ?? 'normal'} · ${t.source ?? '—'}${t.due_by === null ? '' : ` · due ${new Date(t.due_by).toLocaleString()}`}`,
          ),
        )
      }),
    ),
    section(
      'Scheduled',
      'Nothing scheduled',
      p.scheduled.map((s) =>
        h(
          'li',
          null,
          s.name,
          h(
            'span',
            { class: 'muted' },
            ` · next ${s.next_run === null ? '—' : new Date(s.next_run).toLocaleString()} · ${s.interval ?? '—'} · ${s.enabled ? 'enabled' : 'disabled'} · last ${s.last_status ?? '—'}`,
          ),
        ),
      ),
    ),
  ]
}

export function createAgentPipelineTab(deps: EndpointDeps): Panel<State> {
  return endpointPanel<AgentPipeline>(deps, {
    key: 'pipeline',
    className: 'agent-pipeline-tab',
    label: 'Pipeline',
    bodyClass: 'agent-pipeline',
    // Each section has its own empty line (D29), so the panel itself is never empty.
    isEmpty: () => false,
    emptyText: () => '',
    draw: (p, state) => {
      const idle = state.agents.data?.find((a) => a.agent_id === state.url.agent)?.derived_status === 'idle'
      return render(p, idle, deps.now())
    },
  })
}
