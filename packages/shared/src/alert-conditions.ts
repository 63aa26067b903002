/** Alert rule condition types (events.md E100, api.md §4.11): the server validates them, the dashboard offers them. */
export const CONDITION_TYPES = [
  'agent_stuck',
  'heartbeat_lost',
  'task_failed',
  'duration_exceeded',
  'error_rate',
  'cost_threshold',
  'loop_detected',
  'custom_event',
  'approval_waiting',
  'escalation_open',
] as const
export type ConditionType = (typeof CONDITION_TYPES)[number]
