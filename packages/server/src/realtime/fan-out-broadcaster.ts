import type { WireEvent } from '@hiveboard/shared'
import type { Logger } from '../logger.js'
import {
  emptyStats,
  type AgentStatusChange,
  type AgentStuck,
  type AlertFired,
  type Scope,
  type StreamHost,
} from './broadcaster.js'
import { fanOutAgent, fanOutAlert, fanOutEvents, ScopeIndex, type Deliver, type Subscriber } from './fanout.js'

/**
 * The push half the local stream and the bridge share (realtime.md R28): events, agent status, stuck and alert
 * messages fanned out to a scope's subscribers. A failed fan-out is counted and logged, never thrown into ingest.
 * Subclasses own their connections and how a message is delivered.
 */
export abstract class FanOutBroadcaster<T extends Subscriber> {
  protected readonly byScope = new ScopeIndex<T>()
  protected readonly counters = emptyStats()
  protected host: StreamHost | undefined
  protected abstract readonly deliver: Deliver<T>

  /** `label` prefixes the failure log ('stream', 'bridge'). */
  constructor(
    private readonly logger: Logger,
    private readonly label: string,
  ) {}

  broadcastEvents(scope: Scope, events: readonly WireEvent[]): void {
    this.safely('event push', () => fanOutEvents(this.byScope.in(scope), events, this.deliver))
  }

  broadcastAgentStatusChange(scope: Scope, change: AgentStatusChange): void {
    this.safely('status push', () =>
      fanOutAgent(
        this.byScope.in(scope),
        'agent.status_changed',
        change,
        this.envOf(scope, change.agent_id),
        this.deliver,
      ),
    )
  }

  broadcastAgentStuck(scope: Scope, stuck: AgentStuck): void {
    this.safely('stuck push', () =>
      fanOutAgent(this.byScope.in(scope), 'agent.stuck', stuck, this.envOf(scope, stuck.agent_id), this.deliver),
    )
  }

  broadcastAlertFired(scope: Scope, alert: AlertFired): void {
    this.safely('alert push', () => fanOutAlert(this.byScope.in(scope), alert, this.deliver))
  }

  private envOf(scope: Scope, agentId: string): () => string | undefined {
    return () => this.host?.context.agentEnvironment(scope, agentId)
  }

  private safely(what: string, fn: () => void): void {
    try {
      fn()
    } catch (error) {
      this.counters.pushes_failed++
      this.logger.error({ err: error instanceof Error ? error.message : 'unknown' }, `${this.label}: ${what} failed`)
    }
  }
}
