import type { WireEvent } from '@hiveboard/shared'
import type { AgentStatusChange, AgentStuck, AlertFired } from './broadcaster.js'
import { agentPasses, alertPasses, eventPasses, type Channel, type Subscription } from './subscription.js'

export interface Subscriber {
  subscription: Subscription
}

export type Deliver<T> = (target: T, text: string, channel: Channel) => void

/**
 * Matching shared by the local stream and the bridge (realtime.md R28): each message is serialised once, and only
 * when some target wants it. Events go out in `seq` order, one message each (R3).
 */
export function fanOutEvents<T extends Subscriber>(
  targets: readonly T[],
  events: readonly WireEvent[],
  deliver: Deliver<T>,
): void {
  if (targets.length === 0) return
  for (const event of events) {
    let text: string | undefined
    for (const target of targets) {
      if (!eventPasses(target.subscription, event)) continue
      text ??= JSON.stringify({ type: 'event.new', data: event })
      deliver(target, text, 'events')
    }
  }
}

export function fanOutAgent<T extends Subscriber>(
  targets: readonly T[],
  type: 'agent.status_changed' | 'agent.stuck',
  data: AgentStatusChange | AgentStuck,
  environment: () => string | undefined,
  deliver: Deliver<T>,
): void {
  let text: string | undefined
  let env: { value: string | undefined } | undefined
  for (const target of targets) {
    if (!target.subscription.channels.includes('agents')) continue
    // The agent's environment is looked up only when some subscriber filters on it.
    if (target.subscription.filters.environment !== undefined) env ??= { value: environment() }
    if (!agentPasses(target.subscription, data, env?.value)) continue
    text ??= JSON.stringify({ type, data })
    deliver(target, text, 'agents')
  }
}

export function fanOutAlert<T extends Subscriber>(targets: readonly T[], alert: AlertFired, deliver: Deliver<T>): void {
  let text: string | undefined
  for (const target of targets) {
    if (!alertPasses(target.subscription, alert)) continue
    text ??= JSON.stringify({ type: 'alert.fired', data: alert })
    deliver(target, text, 'alerts')
  }
}

/** Connections indexed by scope (R4: same tenant and partition only). */
export class ScopeIndex<T> {
  private readonly byScope = new Map<string, Set<T>>()

  private static key(scope: { tenantId: string; partition: string }): string {
    return `${scope.tenantId}\u0000${scope.partition}`
  }
  add(scope: { tenantId: string; partition: string }, item: T): void {
    const key = ScopeIndex.key(scope)
    let set = this.byScope.get(key)
    if (set === undefined) this.byScope.set(key, (set = new Set()))
    set.add(item)
  }
  delete(scope: { tenantId: string; partition: string }, item: T): void {
    const key = ScopeIndex.key(scope)
    const set = this.byScope.get(key)
    set?.delete(item)
    if (set?.size === 0) this.byScope.delete(key)
  }
  in(scope: { tenantId: string; partition: string }): T[] {
    return [...(this.byScope.get(ScopeIndex.key(scope)) ?? [])]
  }
}
