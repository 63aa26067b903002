/**
 * Simulated time. Stories speak in realistic milliseconds; `--speed N` divides every wait by N. Once the
 * fleet stops, every wait resolves at once (never rejects), so a task in flight finishes quickly and cleanly.
 */
export class Pace {
  constructor(
    readonly speed: number,
    private readonly signal: AbortSignal,
  ) {}

  get stopped(): boolean {
    return this.signal.aborted
  }

  /** Wall-clock milliseconds for `simulatedMs` of story time. */
  real(simulatedMs: number): number {
    return simulatedMs / this.speed
  }

  /** Waits `simulatedMs` of story time. */
  sleep(simulatedMs: number): Promise<void> {
    return this.sleepReal(this.real(simulatedMs))
  }

  /** Waits `ms` of wall-clock time, unscaled (thresholds the server measures in real seconds). */
  sleepReal(ms: number): Promise<void> {
    if (this.signal.aborted) return Promise.resolve()
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer)
        this.signal.removeEventListener('abort', done)
        resolve()
      }
      const timer = setTimeout(done, Math.max(0, ms))
      this.signal.addEventListener('abort', done, { once: true })
    })
  }
}
