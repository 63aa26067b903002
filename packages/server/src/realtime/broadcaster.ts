import type { Server } from 'node:http'
import type { AgentStatus, Partition, WireEvent } from '@hiveboard/shared'
import type { Principal } from '../http/principal.js'

/** Who a push may reach: one tenant and one partition (realtime.md R4). */
export interface Scope {
  tenantId: string
  partition: Partition
}

/** `agent.status_changed` data (realtime.md §3.2, events.md E50). */
export interface AgentStatusChange {
  agent_id: string
  previous_status: AgentStatus | null
  new_status: AgentStatus
  timestamp: string
  current_task_id: string | null
  current_project_id: string | null
  heartbeat_age_seconds: number | null
}

/** `agent.stuck` data (events.md E54). */
export interface AgentStuck {
  agent_id: string
  last_heartbeat: string | null
  stuck_threshold_seconds: number
  current_task_id: string | null
  current_project_id: string | null
}

export type AlertFired = Record<string, unknown>

export interface BroadcasterStats {
  connections: number
  pushes_sent: number
  pushes_failed: number
  pushes_gone: number
  messages_dropped: number
  lagged_notices: number
}

/**
 * Every push goes through one Broadcaster (realtime.md R1). Methods return at once and never throw
 * (R2): no client may delay ingest.
 */
export interface Broadcaster {
  /** Which transport serves clients; only the stream and bridge routes read it (R6), never a broadcast site. */
  readonly kind?: 'local' | 'bridge'
  broadcastEvents(scope: Scope, events: readonly WireEvent[]): void
  broadcastAgentStatusChange(scope: Scope, change: AgentStatusChange): void
  broadcastAgentStuck(scope: Scope, stuck: AgentStuck): void
  broadcastAlertFired(scope: Scope, alert: AlertFired): void
  stats(): BroadcasterStats
  close(): Promise<void>
  /** Called once by startServer after createApp: the local stream serves upgrades on this server. */
  attach?(host: StreamHost): void
}

/** What the stream needs from the app: auth, project refs, agent environments, the query window. */
export interface StreamContext {
  resolveCredential(credential: string): Principal | undefined
  findProjectId(tenantId: string, ref: string): string | undefined
  agentEnvironment(scope: Scope, agentId: string): string | undefined
  /** Counts a `/v1/stream` upgrade in the principal's query window (api.md §1.7); false = over the limit. */
  takeQuery(principal: Principal): boolean
  /** The injected wall clock (epoch ms), for `server_time`. */
  now(): number
}

export interface StreamHost {
  server: Server
  context: StreamContext
}

export function emptyStats(): BroadcasterStats {
  return { connections: 0, pushes_sent: 0, pushes_failed: 0, pushes_gone: 0, messages_dropped: 0, lagged_notices: 0 }
}
