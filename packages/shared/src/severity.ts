import type { Severity } from './event-types.js'

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * The severity the server derives when the client sent none (events.md E14 steps 3–4). The SDK applies the
 * same function, so the value it sends equals what the server would store.
 */
export function defaultSeverity(eventType: string, payload: unknown): Severity {
  if (eventType === 'custom') {
    const kind = isRecord(payload) ? payload['kind'] : undefined
    const data = isRecord(payload) && isRecord(payload['data']) ? payload['data'] : undefined
    const action = data?.['action']
    switch (kind) {
      case 'queue_snapshot':
        return 'debug'
      case 'todo':
        return action === 'failed' ? 'warn' : 'info'
      case 'plan_step':
        return action === 'failed' ? 'error' : 'info'
      case 'issue': {
        if (action !== undefined && action !== null && action !== 'reported') return 'info'
        const level = data?.['severity']
        if (level === 'critical' || level === 'high') return 'error'
        return level === 'medium' ? 'warn' : 'info'
      }
      default:
        return 'info'
    }
  }
  switch (eventType) {
    case 'heartbeat':
      return 'debug'
    case 'task_failed':
    case 'action_failed':
      return 'error'
    case 'retry_started':
    case 'escalated':
      return 'warn'
    default:
      return 'info'
  }
}
