import { AGENT_STATUSES, type AgentStatus, type WireAgent } from '@hiveboard/shared'
import type { Clock } from '../../clock.js'
import { iso } from '../../clock.js'
import { AppError } from '../../errors/app-error.js'
import type { Logger } from '../../logger.js'
import type { AgentState } from '../../projection/agent-state.js'
import type { Broadcaster, Scope } from '../../realtime/broadcaster.js'
import type { Storage } from '../../storage/storage.js'
import { deriveStatus, heartbeatAgeSeconds, stuckThresholdSeconds } from './derive-status.js'
import { toWireAgent, type PublishedStatus } from './agent-view.js'
import { reportedUnder, type ProjectIdMap } from '../projects/project-redirects.js'

const AGENT_PROJECT_FIELDS = ['current_project_id', 'last_project_id'] as const

interface Published extends PublishedStatus {
  stuckEpisode: boolean
}

export interface AgentsServiceDeps {
  storage: Storage
  broadcaster: Broadcaster
  clock: Clock
  logger: Logger
  defaultStuckThresholdSeconds: number
  /** Reports project ids of moved events (merge, delete with reassign) under their new project. */
  effectiveProjectIds(tenantId: string): ProjectIdMap
}

/**
 * Agent reads and status publication (events.md E48–E54): re-derives status after each batch and on the
 * detector's timer, and broadcasts changes and stuck episodes.
 */
export class AgentsService {
  private readonly published = new Map<string, Map<string, Published>>()
  private readonly stuckListeners: Array<(scope: Scope, agentId: string) => void> = []

  constructor(private readonly deps: AgentsServiceDeps) {}

  private book(scope: Scope): Map<string, Published> {
    const key = `${scope.tenantId}/${scope.partition}`
    let book = this.published.get(key)
    if (book === undefined) {
      book = new Map()
      this.published.set(key, book)
    }
    return book
  }

  wireAgent(scope: Scope, agent: AgentState, now: number): WireAgent {
    const wire = toWireAgent(agent, now, this.deps.defaultStuckThresholdSeconds, this.book(scope).get(agent.agentId))
    return reportedUnder(wire, this.deps.effectiveProjectIds(scope.tenantId), AGENT_PROJECT_FIELDS)
  }

  get(scope: Scope, agentId: string): WireAgent {
    const agent = this.deps.storage.events.namespace(scope.tenantId, scope.partition).agents.get(agentId)
    if (agent === undefined) throw new AppError('not_found', 'Agent not found')
    return this.wireAgent(scope, agent, this.deps.clock.now())
  }

  all(scope: Scope): WireAgent[] {
    const now = this.deps.clock.now()
    const agents = this.deps.storage.events.namespace(scope.tenantId, scope.partition).agents
    return [...agents.values()].map((agent) => this.wireAgent(scope, agent, now))
  }

  /** Called when the detector sees an agent enter stuck, after agent.stuck (E106.3: agent_stuck rules). */
  onStuck(listener: (scope: Scope, agentId: string) => void): void {
    this.stuckListeners.push(listener)
  }

  /** At start: statuses are published silently (E50). */
  initialise(): void {
    const now = this.deps.clock.now()
    for (const { tenantId, partition, view } of this.deps.storage.events.namespaces()) {
      const book = this.book({ tenantId, partition })
      for (const agent of view.agents.values()) {
        const status = this.status(agent, now)
        book.set(agent.agentId, { status, previous: null, stuckEpisode: status === 'stuck' })
      }
    }
  }

  private status(agent: AgentState, now: number): AgentStatus {
    return deriveStatus(agent, now, this.deps.defaultStuckThresholdSeconds)
  }

  /** After a durable batch: publish the status of each agent it touched (E50). */
  publish(scope: Scope, agentIds: Iterable<string>): void {
    const now = this.deps.clock.now()
    const view = this.deps.storage.events.namespace(scope.tenantId, scope.partition)
    for (const agentId of agentIds) {
      const agent = view.agents.get(agentId)
      if (agent !== undefined) this.publishOne(scope, agent, now, false)
    }
  }

  /** E54: the background detector re-derives every agent at now; entering stuck pushes agent.stuck once. */
  detectStuck(): void {
    const now = this.deps.clock.now()
    for (const { tenantId, partition, view } of this.deps.storage.events.namespaces()) {
      for (const agent of view.agents.values()) this.publishOne({ tenantId, partition }, agent, now, true)
    }
  }

  private publishOne(scope: Scope, agent: AgentState, now: number, fromDetector: boolean): void {
    const book = this.book(scope)
    const status = this.status(agent, now)
    const known = book.get(agent.agentId)
    if (known === undefined) {
      // A new agent has previous_status null and is not broadcast (E50).
      book.set(agent.agentId, { status, previous: null, stuckEpisode: false })
    } else if (known.status !== status) {
      const previous = known.status
      known.previous = previous
      known.status = status
      const run = agent.currentRun()
      this.deps.broadcaster.broadcastAgentStatusChange(scope, {
        agent_id: agent.agentId,
        previous_status: previous,
        new_status: status,
        timestamp: iso(now),
        current_task_id: run?.taskId ?? null,
        current_project_id: this.deps.effectiveProjectIds(scope.tenantId)(run?.projectId ?? null),
        heartbeat_age_seconds: heartbeatAgeSeconds(agent, now),
      })
    }
    const entry = book.get(agent.agentId) as Published
    if (status !== 'stuck') entry.stuckEpisode = false
    else if (fromDetector && !entry.stuckEpisode) {
      entry.stuckEpisode = true
      const run = agent.currentRun()
      this.deps.broadcaster.broadcastAgentStuck(scope, {
        agent_id: agent.agentId,
        last_heartbeat: agent.lastHeartbeat === null ? null : iso(agent.lastHeartbeat),
        stuck_threshold_seconds: stuckThresholdSeconds(agent, this.deps.defaultStuckThresholdSeconds),
        current_task_id: run?.taskId ?? null,
        current_project_id: this.deps.effectiveProjectIds(scope.tenantId)(run?.projectId ?? null),
      })
      for (const listener of this.stuckListeners) listener(scope, agent.agentId)
    }
  }
}

/** Attention order (api.md §4.3): stuck, error, waiting_approval, processing, idle. */
export function attentionRank(status: AgentStatus): number {
  return AGENT_STATUSES.indexOf(status)
}
