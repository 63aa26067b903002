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
    client.transport.enqueue(agent.envelope, []) // counted as dropped.closed
    return undefined
  }
  if (!isEventType(spec.type)) client.warnUnknownType(spec.type)
  const payload = spec.payload === null || spec.payload === undefined ? undefined : limitSummary(agent, spec.payload)
  const payloadJson = payload === undefined ? undefined : (safeStringify(payload) ?? fallbackPayloadJson(payload))
  if (payloadJson !== undefined && payloadJson.length > MAX_PAYLOAD_BYTES / 3) checkPayloadSize(agent, payloadJson)
  const eventId = randomUUID()
  const head = eventHead(eventId, spec, payload)
  const parts = payloadJson === undefined ? [`${head}}`] : [`${head},"payload":`, payloadJson, '}']
  client.transport.enqueue(agent.envelope, parts)
  return eventId
}

// PERF: the event is written as JSON by hand around the payload's JSON, in the key order an object would give:
// stringifying only the payload, with each task's fields serialized once, took 3–7% off `task.llmCall` against
// stringifying the whole event object (same process, interleaved runs). Every value that is not a UUID or an ISO time
// goes through JSON.
const taskJsonCache = new WeakMap<TaskFields, string>()

function taskJson(task: TaskFields): string {
  let json = taskJsonCache.get(task)
  if (json === undefined) {
    json = ''
    if (task.project_id !== undefined) json += `,"project_id":${jsonValue(task.project_id)}`
    json += `,"task_id":${jsonValue(task.task_id)}`
    if (task.task_type !== undefined) json += `,"task_type":${jsonValue(task.task_type)}`
    json += `,"task_run_id":${jsonValue(task.task_run_id)}`
    if (task.correlation_id !== undefined) json += `,"correlation_id":${jsonValue(task.correlation_id)}`
    taskJsonCache.set(task, json)
  }
  return json
}

/** JSON of a field value (a BigInt from plain JavaScript too); `null` for what JSON cannot hold. */
function jsonValue(value: unknown): string {
  return safeStringify(value) ?? 'null'
}

/** The event's JSON up to its payload, without the closing brace. */
function eventHead(eventId: string, spec: EventSpec, payload: Payload | undefined): string {
  const severity = spec.severity ?? defaultSeverity(spec.type, payload)
  let json = `{"event_id":"${eventId}","timestamp":"${nowIso()}","event_type":${jsonValue(spec.type)}`
  json += `,"severity":${jsonValue(severity)}`
  if (spec.task !== undefined) json += taskJson(spec.task)
  if (spec.actionId != null) json += `,"action_id":${jsonValue(spec.actionId)}`
  if (spec.parentActionId != null) json += `,"parent_action_id":${jsonValue(spec.parentActionId)}`
  if (spec.parentEventId != null) json += `,"parent_event_id":${jsonValue(spec.parentEventId)}`
  if (spec.status != null) json += `,"status":${jsonValue(spec.status)}`
  if (spec.durationMs != null) json += `,"duration_ms":${jsonValue(spec.durationMs)}`
  return json
}

/** The payload of an event whose payload cannot be serialized at all: its summary and kind, and a marker. */
function fallbackPayloadJson(payload: Payload): string {
  const safe: Payload = {}
  try {
    if (typeof payload['summary'] === 'string') safe['summary'] = payload['summary']
    if (typeof payload['kind'] === 'string') safe['kind'] = payload['kind']
  } catch {
    // getters that throw: keep only the error marker
  }
  safe['serialization_error'] = 'payload could not be serialized'
  return JSON.stringify(safe)
}

function checkPayloadSize(agent: Agent, payloadJson: string): void {
  if (Buffer.byteLength(payloadJson) > MAX_PAYLOAD_BYTES) {
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
