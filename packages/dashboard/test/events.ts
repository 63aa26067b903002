/** Wire event fixtures for unit tests. */
import type { WireEvent } from '@hiveboard/shared'

let n = 0
export function wireEvent(overrides: Partial<WireEvent> = {}): WireEvent {
  n++
  return {
    event_id: `e-${n}`,
    tenant_id: 'dev',
    agent_id: 'bot',
    agent_type: 'worker',
    project_id: null,
    timestamp: `2026-02-15T10:00:${String(n % 60).padStart(2, '0')}.000Z`,
    received_at: '2026-02-15T10:00:00.000Z',
    environment: 'production',
    group: 'default',
    task_id: null,
    task_type: null,
    task_run_id: null,
    correlation_id: null,
    action_id: null,
    parent_action_id: null,
    event_type: 'custom',
    severity: 'info',
    status: null,
    duration_ms: null,
    parent_event_id: null,
    payload: null,
    ...overrides,
  }
}
