import { iso } from '../../clock.js'
import type { AgentState } from '../../projection/agent-state.js'
import { PipelineState, type IssueState, type TodoState } from '../../projection/pipeline-state.js'

const PRIORITY_RANK: Record<string, number> = { high: 0, normal: 1, low: 2 }
const SEVERITY_RANK: Record<string, number> = { critical: 0, high: 1, medium: 2, low: 3 }

function rank(table: Record<string, number>, value: unknown): number {
  return typeof value === 'string' ? (table[value] ?? 9) : 9
}

function field(data: Record<string, unknown>, name: string): unknown {
  return data[name] ?? null
}

function todoItem(todo: TodoState) {
  const d = todo.data
  return {
    todo_id: todo.todoId,
    summary: todo.summary ?? field(d, 'summary'),
    action: field(d, 'action') ?? 'created',
    priority: field(d, 'priority'),
    source: field(d, 'source'),
    context: field(d, 'context'),
    due_by: field(d, 'due_by'),
    created_at: iso(todo.createdAt),
    timestamp: iso(todo.ts),
  }
}

function issueItem(issue: IssueState) {
  return {
    issue_id: issue.issueId,
    summary: issue.summary,
    severity: issue.severity,
    category: issue.category,
    context: issue.context ?? null,
    action: issue.action,
    occurrence_count: issue.occurrenceCount ?? issue.reportedCount,
    first_seen: iso(issue.firstSeen),
    last_seen: iso(issue.lastSeen),
    timestamp: iso(issue.lastSeen),
  }
}

function queueOf(pipeline: PipelineState, now: number) {
  const q = pipeline.queue
  if (q === null) return null
  const items = Array.isArray(q.data['items']) ? (q.data['items'] as unknown[]) : []
  const oldest = q.data['oldest_age_seconds']
  return {
    ...q.data,
    depth: q.depth,
    oldest_age_seconds: typeof oldest === 'number' ? oldest : oldestAge(items, now),
    items,
    processing: q.data['processing'] ?? null,
    snapshot_at: iso(q.snapshotAt),
  }
}

/** Age of the oldest item's `queued_at`, when items carry one. */
function oldestAge(items: readonly unknown[], now: number): number | null {
  let oldest = Number.POSITIVE_INFINITY
  for (const item of items) {
    const at = typeof item === 'object' && item !== null ? (item as Record<string, unknown>)['queued_at'] : undefined
    const ms = typeof at === 'string' ? Date.parse(at) : Number.NaN
    if (!Number.isNaN(ms)) oldest = Math.min(oldest, ms)
  }
  return Number.isFinite(oldest) ? Math.max(0, Math.floor((now - oldest) / 1000)) : null
}

/** `GET /v1/agents/{id}/pipeline` (api.md §4.3, events.md E78–E82). */
export function agentPipeline(agent: AgentState, now: number) {
  const p = agent.pipeline
  const todos = [...p.todos.values()]
    .filter((t) => PipelineState.isActiveTodo(t))
    .sort(
      (a, b) =>
        rank(PRIORITY_RANK, a.data['priority']) - rank(PRIORITY_RANK, b.data['priority']) ||
        b.ts - a.ts ||
        b.seq - a.seq,
    )
    .map(todoItem)
  const issues = [...p.issues.values()]
    .filter((i) => PipelineState.isActiveIssue(i))
    .map(issueItem)
    .sort(
      (a, b) =>
        rank(SEVERITY_RANK, a.severity) - rank(SEVERITY_RANK, b.severity) ||
        b.occurrence_count - a.occurrence_count ||
        b.last_seen.localeCompare(a.last_seen),
    )
  return {
    agent_id: agent.agentId,
    queue: queueOf(p, now),
    todos,
    scheduled: p.scheduled?.items ?? [],
    issues,
  }
}

/** One agent's row of `GET /v1/pipeline` (E83). */
export function pipelineRow(agent: AgentState, now: number) {
  const p = agent.pipeline
  return {
    agent_id: agent.agentId,
    queue_depth: p.queue?.depth ?? 0,
    oldest_age_seconds: p.queue === null ? null : (queueOf(p, now)?.oldest_age_seconds ?? null),
    active_todos: p.activeTodoCount(),
    active_issues: p.activeIssueCount(),
    scheduled_count: p.scheduled?.items.length ?? 0,
  }
}
