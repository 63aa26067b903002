import type { WireEvent } from '@hiveboard/shared'
import {
  emptyStats,
  type AgentStatusChange,
  type AgentStuck,
  type AlertFired,
  type Broadcaster,
  type BroadcasterStats,
  type Scope,
} from './broadcaster.js'

export type RecordedPush =
  | { type: 'event.new'; scope: Scope; data: WireEvent }
  | { type: 'agent.status_changed'; scope: Scope; data: AgentStatusChange }
  | { type: 'agent.stuck'; scope: Scope; data: AgentStuck }
  | { type: 'alert.fired'; scope: Scope; data: AlertFired }

/** Records every call in order (realtime.md R7); tests assert on `pushes`. */
export class RecordingBroadcaster implements Broadcaster {
  readonly pushes: RecordedPush[] = []

  broadcastEvents(scope: Scope, events: readonly WireEvent[]): void {
    for (const data of events) this.pushes.push({ type: 'event.new', scope, data })
  }
  broadcastAgentStatusChange(scope: Scope, data: AgentStatusChange): void {
    this.pushes.push({ type: 'agent.status_changed', scope, data })
  }
  broadcastAgentStuck(scope: Scope, data: AgentStuck): void {
    this.pushes.push({ type: 'agent.stuck', scope, data })
  }
  broadcastAlertFired(scope: Scope, data: AlertFired): void {
    this.pushes.push({ type: 'alert.fired', scope, data })
  }
  ofType<T extends RecordedPush['type']>(type: T): Array<Extract<RecordedPush, { type: T }>> {
    return this.pushes.filter((p): p is Extract<RecordedPush, { type: T }> => p.type === type)
  }
  clear(): void {
    this.pushes.length = 0
  }
  stats(): BroadcasterStats {
    return emptyStats()
  }
  async close(): Promise<void> {}
}
