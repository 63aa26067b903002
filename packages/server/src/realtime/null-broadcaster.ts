import { emptyStats, type Broadcaster, type BroadcasterStats } from './broadcaster.js'

/** Pushes nowhere: the live stream is not built yet, so nothing can subscribe. */
export class NullBroadcaster implements Broadcaster {
  broadcastEvents(): void {}
  broadcastAgentStatusChange(): void {}
  broadcastAgentStuck(): void {}
  broadcastAlertFired(): void {}
  stats(): BroadcasterStats {
    return emptyStats()
  }
  async close(): Promise<void> {}
}
