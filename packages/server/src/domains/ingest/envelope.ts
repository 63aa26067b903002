import { codePointLength, truncateCodePoints, type IngestWarning } from '@hiveboard/shared'
import { AppError, fieldError, type FieldIssue } from '../../errors/app-error.js'

export const MAX_EVENTS_PER_BATCH = 500
const ENVELOPE_STRINGS = [
  'agent_type',
  'agent_version',
  'framework',
  'runtime',
  'sdk_version',
  'environment',
  'group',
] as const

export interface Envelope {
  agent_id: string
  agent_type: string | null
  agent_version: string | null
  framework: string | null
  runtime: string | null
  sdk_version: string | null
  environment: string
  group: string
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Whole-request rules (api.md §4.2, events.md E3–E4): 400 with nothing stored, 413 over 500 events;
 * environment/group defaults and truncation with one warning each.
 */
export function parseIngestBody(body: unknown): { envelope: Envelope; events: unknown[]; warnings: IngestWarning[] } {
  if (!isObject(body)) throw fieldError('body', 'Expected a JSON object with envelope and events')
  const raw = body['envelope']
  const events = body['events']
  const issues: FieldIssue[] = []
  if (!isObject(raw)) issues.push({ field: 'body.envelope', message: 'Required object' })
  if (!Array.isArray(events)) issues.push({ field: 'body.events', message: 'Required array' })
  if (isObject(raw)) {
    const agentId = raw['agent_id']
    if (typeof agentId !== 'string' || agentId === '') {
      issues.push({ field: 'body.envelope.agent_id', message: 'Required non-empty string' })
    } else if (codePointLength(agentId) > 256) {
      issues.push({ field: 'body.envelope.agent_id', message: 'Must be at most 256 characters' })
    }
    for (const field of ENVELOPE_STRINGS) {
      const value = raw[field]
      if (value !== undefined && value !== null && typeof value !== 'string') {
        issues.push({ field: `body.envelope.${field}`, message: 'Expected a string or null' })
      }
    }
  }
  if (issues.length > 0) throw new AppError('validation_error', 'Request validation failed', { fields: issues })
  const list = events as unknown[]
  if (list.length > MAX_EVENTS_PER_BATCH) {
    throw new AppError('too_many_events', `A batch holds at most ${MAX_EVENTS_PER_BATCH} events`, {
      max_events: MAX_EVENTS_PER_BATCH,
      received: list.length,
    })
  }
  const env = raw as Record<string, string | null | undefined>
  const warnings: IngestWarning[] = []
  const bounded = (field: 'environment' | 'group', fallback: string, max: number): string => {
    const value = env[field]
    if (value === undefined || value === null || value === '') return fallback
    if (codePointLength(value) <= max) return value
    warnings.push({
      index: null,
      event_id: null,
      code: 'field_truncated',
      warning: `envelope.${field} truncated to ${max} characters`,
    })
    return truncateCodePoints(value, max)
  }
  const optional = (field: (typeof ENVELOPE_STRINGS)[number]): string | null => {
    const value = env[field]
    return value === undefined || value === '' ? null : value
  }
  const envelope: Envelope = {
    agent_id: env['agent_id'] as string,
    agent_type: optional('agent_type'),
    agent_version: optional('agent_version'),
    framework: optional('framework'),
    runtime: optional('runtime'),
    sdk_version: optional('sdk_version'),
    environment: bounded('environment', 'production', 64),
    group: bounded('group', 'default', 128),
  }
  return { envelope, events: list, warnings }
}
