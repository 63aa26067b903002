import { randomUUID } from 'node:crypto'
import { codePointLength, defaultSeverity, isEventType, truncateCodePoints } from '@hiveboard/shared'
import type { Agent } from './agent.js'
import { safeStringify } from './serialize.js'

export type Payload = Record<string, unknown>

/** The task fields every task-scoped event carries (sdk.md §3.4). */
export interface TaskFields {
  readonly task_id: string
  readonly project_id: string | undefined
  readonly task_type: string | undefined
  readonly task_run_id: string
  readonly correlation_id: string | undefined
}

export interface EventSpec {
  type: string
  severity?: string | undefined
  task?: TaskFields | undefined
  actionId?: string | undefined
  parentActionId?: string | undefined
  parentEventId?: string | undefined
  status?: string | undefined
  durationMs?: number | undefined
  payload?: Payload | null | undefined
}

let lastMs = 0
let lastIso = new Date(0).toISOString()

/** `toISOString()` of now, reused within the same millisecond (the hot path calls this per event). */
function nowIso(): string {
  const ms = Date.now()
  if (ms !== lastMs) {
    lastMs = ms
    lastIso = new Date(ms).toISOString()
  }
  return lastIso
}

const MAX_SUMMARY = 512
const MAX_PAYLOAD_BYTES = 32_768

function limitSummary(agent: Agent, payload: Payload): Payload {
  const summary = payload['summary']
  if (typeof summary !== 'string' || summary.length <= MAX_SUMMARY || codePointLength(summary) <= MAX_SUMMARY)
    return payload
  agent.client.log.warn(`summary over ${MAX_SUMMARY} code points truncated`, 'summary-truncated')
  return { ...payload, summary: truncateCodePoints(summary, MAX_SUMMARY) }
}

/** Builds, limits, serializes and enqueues one event. Never throws. Returns its event_id when queued. */
export function emit(agent: Agent, spec: EventSpec): string | undefined {
  try {
    return emitUnsafe(agent, spec)
  } catch (error) {
    agent.client.log.debug(() => `event skipped: ${String(error)}`)
    return undefined
  }
}

function emitUnsafe(agent: Agent, spec: EventSpec): string | undefined {
  const client = agent.client
  if (client.closed) {
    client.transport.enqueue(agent.envelope, '')
    return undefined
  }
  if (!isEventType(spec.type)) client.warnUnknownType(spec.type)
  const payload = spec.payload === null || spec.payload === undefined ? undefined : limitSummary(agent, spec.payload)
  const eventId = randomUUID()
  const event: Record<string, unknown> = {
    event_id: eventId,
    timestamp: nowIso(),
    event_type: spec.type,
    severity: spec.severity ?? defaultSeverity(spec.type, payload),
  }
  const task = spec.task
  if (task !== undefined) {
    if (task.project_id !== undefined) event['project_id'] = task.project_id
    event['task_id'] = task.task_id
    if (task.task_type !== undefined) event['task_type'] = task.task_type
    event['task_run_id'] = task.task_run_id
    if (task.correlation_id !== undefined) event['correlation_id'] = task.correlation_id
  }
  if (spec.actionId != null) event['action_id'] = spec.actionId
  if (spec.parentActionId != null) event['parent_action_id'] = spec.parentActionId
  if (spec.parentEventId != null) event['parent_event_id'] = spec.parentEventId
  if (spec.status != null) event['status'] = spec.status
  if (spec.durationMs != null) event['duration_ms'] = spec.durationMs
  if (payload !== undefined) event['payload'] = payload
  const json = safeStringify(event) ?? fallbackJson(event, payload)
  if (json.length > MAX_PAYLOAD_BYTES / 3 && payload !== undefined) checkPayloadSize(agent, payload)
  client.transport.enqueue(agent.envelope, json)
  return eventId
}

function fallbackJson(event: Record<string, unknown>, payload: Payload | undefined): string {
  const safe: Payload = {}
  if (payload !== undefined) {
    try {
      if (typeof payload['summary'] === 'string') safe['summary'] = payload['summary']
      if (typeof payload['kind'] === 'string') safe['kind'] = payload['kind']
    } catch {
      // getters that throw: keep only the error marker
    }
    safe['serialization_error'] = 'payload could not be serialized'
  }
  return JSON.stringify({ ...event, payload: payload === undefined ? undefined : safe })
}

function checkPayloadSize(agent: Agent, payload: Payload): void {
  const json = safeStringify(payload)
  if (json !== undefined && Buffer.byteLength(json) > MAX_PAYLOAD_BYTES) {
    agent.client.log.warn(`payload over ${MAX_PAYLOAD_BYTES} bytes: the server will reject it`, 'payload-too-large')
  }
}

/** `{kind, summary, data, tags}` in that key order, leaving out undefined parts. */
export function kindPayload(
  kind: string | undefined,
  summary: string,
  data: Payload | undefined,
  tags?: string[],
): Payload {
  const p: Payload = {}
  if (kind !== undefined) p['kind'] = kind
  p['summary'] = summary
  if (data !== undefined) p['data'] = data
  if (tags !== undefined) p['tags'] = tags
  return p
}

/** Copies entries whose value is neither null nor undefined. */
export function defined(entries: Record<string, unknown>): Payload {
  const out: Payload = {}
  for (const key in entries) if (entries[key] != null) out[key] = entries[key]
  return out
}
