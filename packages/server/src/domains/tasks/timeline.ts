import type { WireEvent } from '@hiveboard/shared'
import type { StoredEvent } from '../../projection/stored-event.js'

export const MAX_TIMELINE_EVENTS = 5000

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null
}

export interface ActionNode {
  action_id: string
  parent_action_id: string | null
  name: string | null
  status: string
  started_at: string | null
  ended_at: string | null
  duration_ms: number | null
  error: { type: string | null; message: string | null } | null
  events: WireEvent[]
  children: ActionNode[]
}

export type FlatAction = Omit<ActionNode, 'children'> & { depth: number }

/** E60 name: action_name, data.action_name, summary, on the start event, then on the end event. */
function actionName(start: StoredEvent | undefined, end: StoredEvent | undefined): string | null {
  for (const event of [start, end]) {
    const payload = event?.payload
    if (payload === null || payload === undefined) continue
    const data = isObject(payload['data']) ? payload['data'] : {}
    const name = str(payload['action_name']) ?? str(data['action_name']) ?? str(payload['summary'])
    if (name !== null) return name
  }
  return null
}

function failure(event: StoredEvent): ActionNode['error'] {
  const payload = event.payload ?? {}
  const data = isObject(payload['data']) ? payload['data'] : {}
  const type = str(payload['exception_type']) ?? str(data['exception_type'])
  const message = str(payload['exception_message']) ?? str(data['exception_message'])
  return type === null && message === null ? null : { type, message }
}

/**
 * E60–E62: one node per action_id, attached under its parent when that node exists and no cycle forms;
 * siblings by first event. `events` are in canonical order.
 */
export function buildActionTree(events: readonly StoredEvent[], wire: readonly WireEvent[]): ActionNode[] {
  const nodes = new Map<string, ActionNode>()
  const starts = new Map<string, StoredEvent>()
  const ends = new Map<string, StoredEvent>()
  for (const event of events) {
    const id = event.action_id
    if (id === null || !event.event_type.startsWith('action_')) continue
    let node = nodes.get(id)
    if (node === undefined) {
      node = {
        action_id: id,
        parent_action_id: null,
        name: null,
        status: 'running',
        started_at: null,
        ended_at: null,
        duration_ms: null,
        error: null,
        events: [],
        children: [],
      }
      nodes.set(id, node)
    }
    if (node.parent_action_id === null && event.parent_action_id !== null)
      node.parent_action_id = event.parent_action_id
    if (event.event_type === 'action_started' && !starts.has(id)) starts.set(id, event)
    else if (event.event_type !== 'action_started') ends.set(id, event)
  }
  // E60: a node's events are its action events plus any other task event with its action_id (llm calls…).
  events.forEach((event, i) => {
    const node = event.action_id === null ? undefined : nodes.get(event.action_id)
    if (node !== undefined) node.events.push(wire[i] as WireEvent)
  })
  for (const [id, node] of nodes) {
    const start = starts.get(id)
    const end = ends.get(id)
    node.name = actionName(start, end)
    node.started_at = start?.timestamp ?? null
    if (end !== undefined) {
      node.status = end.status ?? (end.event_type === 'action_failed' ? 'failed' : 'completed')
      node.ended_at = end.timestamp
      node.duration_ms = end.duration_ms
      if (end.event_type === 'action_failed') node.error = failure(end)
    }
  }
  const roots: ActionNode[] = []
  for (const node of nodes.values()) {
    const parent = node.parent_action_id === null ? undefined : nodes.get(node.parent_action_id)
    if (parent === undefined || closesCycle(node, nodes)) roots.push(node)
    else parent.children.push(node)
  }
  return roots
}

function closesCycle(node: ActionNode, nodes: ReadonlyMap<string, ActionNode>): boolean {
  const seen = new Set<string>([node.action_id])
  let current = node.parent_action_id === null ? undefined : nodes.get(node.parent_action_id)
  while (current !== undefined) {
    if (seen.has(current.action_id)) return true
    seen.add(current.action_id)
    current = current.parent_action_id === null ? undefined : nodes.get(current.parent_action_id)
  }
  return false
}

/** E62: depth-first pre-order with depth, without children. */
export function flattenActions(roots: readonly ActionNode[], depth = 0, out: FlatAction[] = []): FlatAction[] {
  for (const { children, ...node } of roots) {
    out.push({ ...node, depth })
    flattenActions(children, depth + 1, out)
  }
  return out
}

/** E63. */
export function errorChains(events: readonly StoredEvent[]): Array<Record<string, unknown>> {
  return events
    .filter((e) => (e.event_type === 'retry_started' || e.event_type === 'escalated') && e.parent_event_id !== null)
    .map((e) => ({
      event_id: e.event_id,
      event_type: e.event_type,
      parent_event_id: e.parent_event_id,
      timestamp: e.timestamp,
      payload: e.payload,
    }))
}
