import {
  codePointLength,
  defaultSeverity,
  isEventType,
  isSeverity,
  PAYLOAD_KINDS,
  RECOMMENDED_DATA_KEYS,
  truncateCodePoints,
  type EventType,
  type JsonObject,
  type PayloadKind,
  type Severity,
} from '@hiveboard/shared'
import { validStuckThreshold } from '../../projection/agent-state.js'
import { parseTimestamp } from './timestamps.js'

export const MAX_ID_LENGTH = 256
export const MAX_STATUS_LENGTH = 64
export const MAX_PAYLOAD_BYTES = 32_768
export const MAX_SUMMARY_LENGTH = 512
export const FUTURE_SKEW_MS = 300_000

/** Optional id fields of an event; each a string ≤ 256 or null (api.md §4.2 rule 3). */
const ID_FIELDS = [
  'project_id',
  'agent_id',
  'agent_type',
  'task_id',
  'task_type',
  'task_run_id',
  'correlation_id',
  'action_id',
  'parent_action_id',
  'parent_event_id',
] as const
type IdField = (typeof ID_FIELDS)[number]

export interface EventWarning {
  code: string
  message: string
}

/** A client event that passed rules 1–7; the project (rule 8) is resolved afterwards. */
export interface ValidEvent {
  index: number
  eventId: string
  ts: number
  /** The timestamp normalised to `YYYY-MM-DDTHH:mm:ss.sssZ`. */
  timestamp: string
  eventType: EventType
  ids: Record<IdField, string | null>
  severity: Severity
  status: string | null
  durationMs: number | null
  payload: JsonObject | null
  warnings: EventWarning[]
}

export interface EventRejection {
  index: number
  eventId: string | null
  error: string
  message: string
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function absent(value: unknown): boolean {
  return value === undefined || value === null
}

function reject(index: number, eventId: unknown, error: string, message: string): EventRejection {
  return { index, eventId: typeof eventId === 'string' && eventId !== '' ? eventId : null, error, message }
}

function durationOf(value: unknown): number | null | undefined {
  if (absent(value)) return null
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) return undefined
  return Math.floor(n) // E5: the fraction is dropped
}

/**
 * Per-event rules of api.md §4.2 in order (first failure rejects only that event) plus the
 * normalisation of events.md E8–E23. `envelopeAgentId` decides the effective agent (E6).
 */
export function validateEvent(
  raw: unknown,
  index: number,
  envelopeAgentId: string,
  receivedAt: number,
): ValidEvent | EventRejection {
  if (!isObject(raw)) return reject(index, null, 'invalid_field', 'Event must be a JSON object')
  const eventId = raw['event_id']
  for (const field of ['event_id', 'timestamp', 'event_type'] as const) {
    if (absent(raw[field]) || raw[field] === '') {
      return reject(index, eventId, 'missing_field', `Missing required field: ${field}`)
    }
  }
  if (typeof eventId !== 'string') return reject(index, null, 'invalid_field', 'event_id must be a string')
  if (codePointLength(eventId) > MAX_ID_LENGTH) {
    return reject(index, null, 'field_too_long', `event_id exceeds ${MAX_ID_LENGTH} characters`)
  }
  const ids = {} as Record<IdField, string | null>
  for (const field of ID_FIELDS) {
    const value = raw[field]
    if (absent(value) || value === '') ids[field] = null
    else if (typeof value !== 'string') return reject(index, eventId, 'invalid_field', `${field} must be a string`)
    else if (codePointLength(value) > MAX_ID_LENGTH) {
      return reject(index, eventId, 'field_too_long', `${field} exceeds ${MAX_ID_LENGTH} characters`)
    } else ids[field] = value
  }
  const status = raw['status']
  if (!absent(status) && typeof status !== 'string') {
    return reject(index, eventId, 'invalid_field', 'status must be a string')
  }
  if (typeof status === 'string' && codePointLength(status) > MAX_STATUS_LENGTH) {
    return reject(index, eventId, 'field_too_long', `status exceeds ${MAX_STATUS_LENGTH} characters`)
  }
  const severity = raw['severity']
  if (!absent(severity) && typeof severity !== 'string') {
    return reject(index, eventId, 'invalid_field', 'severity must be a string')
  }
  const durationMs = durationOf(raw['duration_ms'])
  if (durationMs === undefined) {
    return reject(index, eventId, 'invalid_field', 'duration_ms must be a number ≥ 0')
  }
  const payload = raw['payload']
  if (!absent(payload) && !isObject(payload)) {
    return reject(index, eventId, 'invalid_field', 'payload must be an object')
  }
  const timestamp = raw['timestamp']
  const ts = typeof timestamp === 'string' ? parseTimestamp(timestamp) : null
  if (ts === null) {
    return reject(index, eventId, 'invalid_timestamp', `Unparsable timestamp: ${String(timestamp).slice(0, 64)}`)
  }
  // Most SDKs already send the canonical form: keep the string rather than formatting it again.
  const normalised = CANONICAL_TIMESTAMP.test(timestamp as string) ? (timestamp as string) : new Date(ts).toISOString()
  const eventType = raw['event_type']
  if (!isEventType(eventType)) {
    return reject(index, eventId, 'invalid_event_type', `Unknown event_type: ${String(eventType).slice(0, 64)}`)
  }
  if (ids.agent_id === null && codePointLength(envelopeAgentId) > MAX_ID_LENGTH) {
    return reject(index, eventId, 'field_too_long', `agent_id exceeds ${MAX_ID_LENGTH} characters`)
  }
  if (isObject(payload) && payloadBytes(payload) > MAX_PAYLOAD_BYTES) {
    return reject(index, eventId, 'payload_too_large', `payload exceeds ${MAX_PAYLOAD_BYTES} bytes`)
  }
  const warnings: EventWarning[] = []
  const valid: ValidEvent = {
    index,
    eventId,
    ts,
    timestamp: normalised,
    eventType,
    ids,
    severity: 'info',
    status: typeof status === 'string' ? status : null,
    durationMs,
    payload: isObject(payload) ? (payload as JsonObject) : null,
    warnings,
  }
  normalise(valid, severity as string | null | undefined, receivedAt)
  return valid
}

const CANONICAL_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

function payloadBytes(payload: Record<string, unknown>): number {
  const json = JSON.stringify(payload)
  // Every UTF-16 unit is at most 3 UTF-8 bytes: skip the exact count when it cannot matter.
  return json.length * 3 <= MAX_PAYLOAD_BYTES ? json.length : Buffer.byteLength(json, 'utf8')
}

function normalise(event: ValidEvent, severity: string | null | undefined, receivedAt: number): void {
  const { payload, warnings } = event
  if (isSeverity(severity)) event.severity = severity
  else {
    if (!absent(severity) && severity !== '') {
      warnings.push({ code: 'unknown_severity', message: `Unknown severity '${severity}', defaulting to auto` })
    }
    event.severity = defaultSeverity(event.eventType, payload)
  }
  if (event.ts > receivedAt + FUTURE_SKEW_MS) {
    warnings.push({ code: 'timestamp_in_future', message: 'timestamp is more than 300 s after received_at' })
  }
  if (payload === null) return
  const summary = payload['summary']
  if (typeof summary === 'string' && codePointLength(summary) > MAX_SUMMARY_LENGTH) {
    payload['summary'] = truncateCodePoints(summary, MAX_SUMMARY_LENGTH)
    warnings.push({ code: 'field_truncated', message: `payload.summary truncated to ${MAX_SUMMARY_LENGTH} characters` })
  }
  conventionWarnings(payload, warnings)
  if (event.eventType === 'agent_registered') {
    const data = payload['data']
    const threshold = isObject(data) ? data['stuck_threshold'] : undefined
    if (!absent(threshold) && validStuckThreshold(threshold) === null) {
      warnings.push({
        code: 'invalid_stuck_threshold',
        message: 'data.stuck_threshold must be a number from 10 to 604800',
      })
    }
  }
}

/** E23: each missing recommended key of a well-known kind warns once; a non-object data warns once. */
function conventionWarnings(payload: JsonObject, warnings: EventWarning[]): void {
  const kind = payload['kind']
  if (typeof kind !== 'string' || !(PAYLOAD_KINDS as readonly string[]).includes(kind)) return
  const data = payload['data']
  if (!absent(data) && !isObject(data)) {
    warnings.push({ code: 'payload_convention', message: `payload.kind=${kind} expects an object payload.data` })
    return
  }
  for (const key of RECOMMENDED_DATA_KEYS[kind as PayloadKind]) {
    if (!isObject(data) || absent(data[key])) {
      warnings.push({ code: 'payload_convention', message: `payload.kind=${kind} recommends data.${key}` })
    }
  }
}

export function isRejection(result: ValidEvent | EventRejection): result is EventRejection {
  return 'error' in result
}
