import { SEVERITIES } from '@hiveboard/shared'
import type { StoredEvent } from '../../projection/stored-event.js'
import type { AlertRule } from '../../storage/alert-records.js'
import { recordInScope, RULE_SUBJECT, type Firing } from './condition-context.js'
import { configOf } from './rule-schema.js'
import type { ProjectIdMap } from '../projects/project-redirects.js'

function payloadField(event: StoredEvent, field: string): string | null {
  const payload = event.payload
  if (payload === null) return null
  const data = payload['data']
  const value =
    payload[field] ?? (typeof data === 'object' && data !== null && !Array.isArray(data) ? data[field] : undefined)
  return typeof value === 'string' ? value : null
}

function inScope(rule: AlertRule, event: StoredEvent, effectiveProject: ProjectIdMap): boolean {
  const record = {
    projectId: event.project_id,
    agentId: event.agent_id,
    environment: event.environment,
    group: event.group,
  }
  return recordInScope(rule, record, effectiveProject)
}

const fired = (event: StoredEvent, snapshot: Record<string, unknown>): Firing => ({
  subject: RULE_SUBJECT,
  snapshot,
  agentId: event.agent_id,
  taskId: event.task_id,
})

/** Event conditions (E101): `task_failed`, `duration_exceeded`, `custom_event`, per new stored event. */
export function evaluateEvent(rule: AlertRule, event: StoredEvent, effectiveProject: ProjectIdMap): Firing | null {
  if (!inScope(rule, event, effectiveProject)) return null
  switch (rule.condition_type) {
    case 'task_failed': {
      const config = configOf('task_failed', rule.condition_config)
      if (event.event_type !== 'task_failed') return null
      if (config.task_type !== null && event.task_type !== config.task_type) return null
      return fired(event, {
        event_id: event.event_id,
        task_id: event.task_id,
        agent_id: event.agent_id,
        exception_type: payloadField(event, 'exception_type'),
        exception_message: payloadField(event, 'exception_message'),
      })
    }
    case 'duration_exceeded': {
      const config = configOf('duration_exceeded', rule.condition_config)
      if (event.event_type !== 'task_completed' && event.event_type !== 'task_failed') return null
      if (event.duration_ms === null || event.duration_ms <= config.threshold_ms) return null
      return fired(event, {
        event_id: event.event_id,
        task_id: event.task_id,
        agent_id: event.agent_id,
        duration_ms: event.duration_ms,
        threshold_ms: config.threshold_ms,
      })
    }
    case 'custom_event': {
      const config = configOf('custom_event', rule.condition_config)
      const kind = typeof event.payload?.['kind'] === 'string' ? event.payload['kind'] : null
      if (config.event_type !== null && event.event_type !== config.event_type) return null
      if (config.payload_kind !== null && kind !== config.payload_kind) return null
      if (config.min_severity !== null && SEVERITIES.indexOf(event.severity) < SEVERITIES.indexOf(config.min_severity))
        return null
      return fired(event, {
        event_id: event.event_id,
        event_type: event.event_type,
        payload_kind: kind,
        severity: event.severity,
        agent_id: event.agent_id,
      })
    }
    default:
      return null
  }
}

export const EVENT_CONDITIONS: ReadonlySet<string> = new Set(['task_failed', 'duration_exceeded', 'custom_event'])
