import { isEventType, isSeverity, severityRank, type EventType, type Severity, type WireEvent } from '@hiveboard/shared'
import { AppError, validationError, type FieldIssue } from '../errors/app-error.js'
import type { AgentStatusChange, AgentStuck, AlertFired } from './broadcaster.js'

/** Channel names in reply order (realtime.md §3.2). `alerts` is Beyond and accepted for forward compatibility. */
export const CHANNELS = ['events', 'agents', 'alerts'] as const
export type Channel = (typeof CHANNELS)[number]

/** Applied filters; `project_id` is always the resolved id (realtime.md R18). */
export interface StreamFilters {
  environment?: string
  group?: string
  agent_id?: string
  project_id?: string
  event_types?: EventType[]
  min_severity?: Severity
}

export interface Subscription {
  channels: Channel[]
  filters: StreamFilters
}

export const EMPTY_SUBSCRIPTION: Subscription = { channels: [], filters: {} }

/** Keeps known channel names in canonical order; unknown names are dropped (R14). */
export function keepChannels(raw: unknown): Channel[] | undefined {
  if (!Array.isArray(raw)) return undefined
  return CHANNELS.filter((c) => raw.includes(c))
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function stringFilter(raw: Record<string, unknown>, key: string, out: StreamFilters, issues: FieldIssue[]): void {
  const value = raw[key]
  if (value === undefined || value === null) return
  if (typeof value !== 'string' || value === '') issues.push({ field: `filters.${key}`, message: 'Expected a string' })
  else (out as Record<string, unknown>)[key] = value
}

/**
 * Validates `filters` (R19): wrong types, empty arrays, unknown types or severities → validation_error; an unknown
 * project → not_found. Unknown keys are ignored; null means absent.
 */
export function parseFilters(raw: unknown, findProjectId: (ref: string) => string | undefined): StreamFilters {
  if (raw === undefined || raw === null) return {}
  if (!isRecord(raw))
    throw validationError([{ field: 'filters', message: 'Expected an object' }], 'Invalid subscription filters')
  const out: StreamFilters = {}
  const issues: FieldIssue[] = []
  for (const key of ['environment', 'group', 'agent_id', 'project_id']) stringFilter(raw, key, out, issues)
  const types = raw['event_types']
  if (types !== undefined && types !== null) {
    if (!Array.isArray(types) || types.length === 0 || !types.every(isEventType)) {
      issues.push({ field: 'filters.event_types', message: 'Expected a non-empty array of event types' })
    } else out.event_types = [...new Set(types)]
  }
  const severity = raw['min_severity']
  if (severity !== undefined && severity !== null) {
    if (!isSeverity(severity))
      issues.push({ field: 'filters.min_severity', message: 'Expected debug, info, warn or error' })
    else out.min_severity = severity
  }
  if (issues.length > 0) throw validationError(issues, 'Invalid subscription filters')
  if (out.project_id !== undefined) {
    const id = findProjectId(out.project_id)
    if (id === undefined) throw new AppError('not_found', 'Project not found')
    out.project_id = id
  }
  return out
}

/** `event.new` passes when every set filter holds (R18, R20: same meaning as GET /v1/events). */
export function eventPasses(sub: Subscription, e: WireEvent): boolean {
  const f = sub.filters
  return (
    sub.channels.includes('events') &&
    (f.environment === undefined || e.environment === f.environment) &&
    (f.group === undefined || e.group === f.group) &&
    (f.agent_id === undefined || e.agent_id === f.agent_id) &&
    (f.project_id === undefined || e.project_id === f.project_id) &&
    (f.event_types === undefined || f.event_types.includes(e.event_type)) &&
    (f.min_severity === undefined || severityRank(e.severity) >= severityRank(f.min_severity))
  )
}

/** Agents channel: only `environment` (the agent's) and `agent_id` apply (R18). */
export function agentPasses(
  sub: Subscription,
  agent: AgentStatusChange | AgentStuck,
  environment: string | undefined,
): boolean {
  const f = sub.filters
  return (
    sub.channels.includes('agents') &&
    (f.environment === undefined || environment === f.environment) &&
    (f.agent_id === undefined || agent.agent_id === f.agent_id)
  )
}

/** Alerts channel (Beyond): agent_id must equal related_agent_id; a null project passes a project filter. */
export function alertPasses(sub: Subscription, alert: AlertFired): boolean {
  const f = sub.filters
  const project = alert['project_id']
  return (
    sub.channels.includes('alerts') &&
    (f.agent_id === undefined || alert['related_agent_id'] === f.agent_id) &&
    (f.project_id === undefined || project === null || project === undefined || project === f.project_id)
  )
}
