import type { EventType, JsonObject, Partition, Severity, WireEvent } from '@hiveboard/shared'

/** One stored event (events.md E9): the API Event plus storage-only fields. */
export interface StoredEvent extends WireEvent {
  key_type: Partition
  seq: number
  agent_version: string | null
  framework: string | null
  runtime: string | null
  sdk_version: string | null
}

/** The numbers of one `llm_call` payload that aggregates need (events.md E75). */
export interface LlmFacts {
  name: string
  model: string
  tokensIn: number
  tokensOut: number
  /** `data.cost` when finite, else null. */
  cost: number | null
  costSource: 'reported' | 'estimated' | null
  durationMs: number | null
}

/**
 * What the indexes keep per event. The full event stays as its NDJSON line and is parsed only when a
 * response needs it, so a million events fit the memory target.
 */
export interface EventRecord {
  readonly seq: number
  readonly ts: number
  readonly receivedAt: number
  readonly eventId: string
  readonly agentId: string
  readonly eventType: EventType
  readonly severity: Severity
  readonly projectId: string | null
  readonly taskId: string | null
  readonly taskRunId: string | null
  readonly actionId: string | null
  readonly kind: string | null
  readonly environment: string
  readonly group: string
  readonly durationMs: number | null
  readonly llm: LlmFacts | null
  readonly line: string
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0
}

export function llmFacts(event: Pick<StoredEvent, 'payload'>): LlmFacts | null {
  const payload = event.payload
  if (payload === null || payload['kind'] !== 'llm_call' || !isObject(payload['data'])) return null
  const data = payload['data']
  const cost = data['cost']
  const source = data['cost_source']
  const duration = data['duration_ms']
  return {
    name: typeof data['name'] === 'string' ? data['name'] : 'unknown',
    model: typeof data['model'] === 'string' ? data['model'] : 'unknown',
    tokensIn: count(data['tokens_in']),
    tokensOut: count(data['tokens_out']),
    cost: typeof cost === 'number' && Number.isFinite(cost) ? cost : null,
    costSource: source === 'reported' || source === 'estimated' ? source : null,
    durationMs: typeof duration === 'number' && Number.isFinite(duration) ? duration : null,
  }
}

/** Strings repeated across events share one copy in memory. */
export class Interner {
  private readonly strings = new Map<string, string>()
  get(value: string): string {
    const known = this.strings.get(value)
    if (known !== undefined) return known
    if (this.strings.size < 100_000) this.strings.set(value, value)
    return value
  }
}

export function toRecord(event: StoredEvent, line: string, interner: Interner): EventRecord {
  const payload = event.payload
  return {
    seq: event.seq,
    ts: Date.parse(event.timestamp),
    receivedAt: Date.parse(event.received_at),
    eventId: event.event_id,
    agentId: interner.get(event.agent_id),
    eventType: event.event_type,
    severity: event.severity,
    projectId: event.project_id === null ? null : interner.get(event.project_id),
    taskId: event.task_id,
    taskRunId: event.task_run_id,
    actionId: event.action_id,
    kind: payload !== null && typeof payload['kind'] === 'string' ? interner.get(payload['kind']) : null,
    environment: interner.get(event.environment),
    group: interner.get(event.group),
    durationMs: event.duration_ms,
    llm: llmFacts(event),
    line,
  }
}

const WIRE_FIELDS = [
  'event_id',
  'tenant_id',
  'agent_id',
  'agent_type',
  'project_id',
  'timestamp',
  'received_at',
  'environment',
  'group',
  'task_id',
  'task_type',
  'task_run_id',
  'correlation_id',
  'action_id',
  'parent_action_id',
  'event_type',
  'severity',
  'status',
  'duration_ms',
  'parent_event_id',
  'payload',
] as const satisfies ReadonlyArray<keyof WireEvent>

/** The API Event object (api.md §4.0): storage-only fields are never returned. */
export function toWireEvent(event: StoredEvent): WireEvent {
  const out: Record<string, unknown> = {}
  for (const field of WIRE_FIELDS) out[field] = event[field]
  return out as unknown as WireEvent
}

export function parseRecord(record: EventRecord): StoredEvent {
  return JSON.parse(record.line) as StoredEvent
}

export function payloadData(payload: JsonObject | null): Record<string, unknown> | null {
  return payload !== null && isObject(payload['data']) ? payload['data'] : null
}
