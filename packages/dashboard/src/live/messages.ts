/** Server → client messages (realtime.md §3.2), parsed without a schema library (D2: types only). */
import { EVENT_TYPES, type WireEvent } from '@hiveboard/shared'
import type { AlertRecord } from '../store/alerts.js'
import type { StatusChanged, StuckMessage } from '../store/types.js'

export type ServerMessage =
  | { type: 'subscribed'; data: { channels: string[] } }
  | { type: 'event.new'; data: WireEvent }
  | { type: 'agent.status_changed'; data: StatusChanged }
  | { type: 'agent.stuck'; data: StuckMessage }
  | { type: 'alert.fired'; data: AlertRecord }
  | { type: 'pong'; data: { server_time: string; channels: string[]; reregistered: boolean } }
  | { type: 'lagged'; data: { dropped: number; channels: string[]; since: string } }
  | { type: 'error'; data: { error: string; message: string; status: number } }

const KNOWN = new Set([
  'subscribed',
  'event.new',
  'agent.status_changed',
  'agent.stuck',
  'alert.fired',
  'pong',
  'lagged',
  'error',
])

/** A frame → a known message, or null (unknown types and malformed frames are dropped, R13). */
export function parseServerMessage(text: string): ServerMessage | null {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return null
  }
  if (value === null || typeof value !== 'object') return null
  const v = value as { type?: unknown; data?: unknown }
  if (typeof v.type !== 'string' || !KNOWN.has(v.type)) return null
  if (v.data === null || typeof v.data !== 'object') return null
  if (v.type === 'event.new' && typeof (v.data as { event_id?: unknown }).event_id !== 'string') return null
  if (v.type.startsWith('agent.') && typeof (v.data as { agent_id?: unknown }).agent_id !== 'string') return null
  if (v.type === 'alert.fired') {
    const a = v.data as { alert_id?: unknown; fired_at?: unknown; condition_snapshot?: unknown }
    if (typeof a.alert_id !== 'string' || typeof a.fired_at !== 'string') return null
    if (a.condition_snapshot === null || typeof a.condition_snapshot !== 'object') return null
  }
  return v as ServerMessage
}

/** R41: random(0.5, 1) × min(30 s, 1 s × 2^n). */
export function backoffMs(failures: number, random: () => number = Math.random): number {
  return (0.5 + random() * 0.5) * Math.min(30_000, 1000 * 2 ** failures)
}

/** dashboard.md §3: every event type but heartbeat (heartbeats arrive as agent status, not as events). */
export const STREAM_EVENT_TYPES = EVENT_TYPES.filter((type) => type !== 'heartbeat')

export function subscribeMessage(
  token: string | null,
  filters: { environment: string | null; project_id: string | null },
) {
  const f: Record<string, unknown> = { event_types: STREAM_EVENT_TYPES }
  if (filters.environment !== null) f.environment = filters.environment
  if (filters.project_id !== null) f.project_id = filters.project_id
  return { action: 'subscribe', token, channels: ['events', 'agents', 'alerts'], filters: f }
}

/**
 * Whether a pushed event or stuck notice names an agent the hive does not hold yet. The server never broadcasts a
 * new agent's first status (events.md E50), so its first event is the only signal: refetch the agents (D13, D16).
 */
export function isUnknownAgent(agents: readonly { agent_id: string }[] | null, agentId: string): boolean {
  return agents !== null && !agents.some((a) => a.agent_id === agentId)
}
