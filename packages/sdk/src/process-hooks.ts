import type { HiveBoard } from './client.js'

/** exit / beforeExit / signal listeners of sdk.md §5.7; all removed by shutdown(). */
export class ProcessHooks {
  private readonly removers: Array<() => void> = []
  private lastFlushEnqueued = -1

  constructor(private readonly client: HiveBoard) {}

  install(options: { flushOnBeforeExit: boolean; handleSignals: boolean; shutdownTimeoutMs: number }): void {
    const onExit = () => {
      const stats = this.client.transport.stats()
      const left = stats.queued + stats.inFlight
      if (left > 0) {
        try {
          process.stderr.write(`[loophive] ${left} events were not sent; await shutdown() before exit\n`)
        } catch {
          // stderr closed
        }
      }
    }
    this.add('exit', onExit)
    if (options.flushOnBeforeExit) {
      this.add('beforeExit', () => {
        const stats = this.client.transport.stats()
        if (stats.queued + stats.inFlight === 0 || stats.enqueued === this.lastFlushEnqueued) return
        this.lastFlushEnqueued = stats.enqueued
        void this.client.flush({ timeoutMs: options.shutdownTimeoutMs })
      })
    }
    if (options.handleSignals) {
      for (const signal of ['SIGTERM', 'SIGINT'] as const) {
        const onSignal = () => {
          const alone = process.listenerCount(signal) === 1
          void this.client.shutdown({ timeoutMs: options.shutdownTimeoutMs }).then(() => {
            if (alone) process.kill(process.pid, signal)
          })
        }
        this.add(signal, onSignal)
      }
    }
  }

  private add(event: 'exit' | 'beforeExit' | 'SIGTERM' | 'SIGINT', listener: () => void): void {
    process.on(event, listener)
    this.removers.push(() => process.removeListener(event, listener))
  }

  remove(): void {
    for (const remove of this.removers.splice(0)) remove()
  }
}
