import type { EventRecord } from '../projection/stored-event.js'

/** Additive per-cell figures (events.md E84); cost in integer micro-USD so sums are exact in any order. */
export interface Agg {
  events: number
  heartbeats: number
  taskCompleted: number
  taskFailed: number
  actionCompleted: number
  actionFailed: number
  calls: number
  tokensIn: number
  tokensOut: number
  costMicros: number
  reportedMicros: number
  estimatedMicros: number
}

export function emptyAgg(): Agg {
  return {
    events: 0,
    heartbeats: 0,
    taskCompleted: 0,
    taskFailed: 0,
    actionCompleted: 0,
    actionFailed: 0,
    calls: 0,
    tokensIn: 0,
    tokensOut: 0,
    costMicros: 0,
    reportedMicros: 0,
    estimatedMicros: 0,
  }
}

/** USD with 6 decimals as an integer count of micro-dollars (E84 "costs to 6 decimals"). */
export function toMicros(cost: number | null): number {
  return cost === null ? 0 : Math.round(cost * 1e6)
}

export function fromMicros(micros: number): number {
  return micros / 1e6
}

/** Adds (sign 1) or removes (sign −1) one event's contribution. */
export function addRecord(agg: Agg, record: EventRecord, sign: 1 | -1): void {
  if (record.eventType === 'heartbeat') {
    agg.heartbeats += sign
    return
  }
  agg.events += sign
  const type = record.eventType
  if (type === 'task_completed') agg.taskCompleted += sign
  else if (type === 'task_failed') agg.taskFailed += sign
  else if (type === 'action_completed') agg.actionCompleted += sign
  else if (type === 'action_failed') agg.actionFailed += sign
  const llm = record.llm
  if (llm === null) return
  const micros = toMicros(llm.cost)
  agg.calls += sign
  agg.tokensIn += sign * llm.tokensIn
  agg.tokensOut += sign * llm.tokensOut
  agg.costMicros += sign * micros
  if (llm.costSource === 'reported') agg.reportedMicros += sign * micros
  else if (llm.costSource === 'estimated') agg.estimatedMicros += sign * micros
}

export function mergeAgg(into: Agg, from: Agg): void {
  into.events += from.events
  into.heartbeats += from.heartbeats
  into.taskCompleted += from.taskCompleted
  into.taskFailed += from.taskFailed
  into.actionCompleted += from.actionCompleted
  into.actionFailed += from.actionFailed
  into.calls += from.calls
  into.tokensIn += from.tokensIn
  into.tokensOut += from.tokensOut
  into.costMicros += from.costMicros
  into.reportedMicros += from.reportedMicros
  into.estimatedMicros += from.estimatedMicros
}

/** The dimensions a cell is split by: filters and group_by read them. */
export interface Dims {
  agentId: string
  projectId: string | null
  environment: string
  /** The llm_call model, or null for other events. */
  model: string | null
}

export interface Filter {
  agentId?: string | undefined
  /** The stored project ids a project filter covers: the project and those merged into it. */
  projectIds?: ReadonlySet<string> | undefined
  environment?: string | undefined
  model?: string | undefined
}

export function dimsOf(record: EventRecord): Dims {
  return {
    agentId: record.agentId,
    projectId: record.projectId,
    environment: record.environment,
    model: record.llm?.model ?? null,
  }
}

export function matches(dims: Dims, filter: Filter): boolean {
  return (
    (filter.agentId === undefined || dims.agentId === filter.agentId) &&
    (filter.projectIds === undefined || (dims.projectId !== null && filter.projectIds.has(dims.projectId))) &&
    (filter.environment === undefined || dims.environment === filter.environment) &&
    (filter.model === undefined || dims.model === filter.model)
  )
}

/** `matches` on a record's own fields, without building its Dims (edge scans run it per event). */
export function recordMatches(record: EventRecord, filter: Filter): boolean {
  return (
    (filter.agentId === undefined || record.agentId === filter.agentId) &&
    (filter.projectIds === undefined || (record.projectId !== null && filter.projectIds.has(record.projectId))) &&
    (filter.environment === undefined || record.environment === filter.environment) &&
    (filter.model === undefined || (record.llm?.model ?? null) === filter.model)
  )
}

export function isEmptyFilter(f: Filter): boolean {
  return f.agentId === undefined && f.projectIds === undefined && f.environment === undefined && f.model === undefined
}

export function dimKey(d: Dims): string {
  return `${d.agentId}\u0000${d.projectId ?? ''}\u0000${d.environment}\u0000${d.model ?? '\u0001'}`
}
