/** Wall-clock time as data (conventions §7): services never call Date.now() themselves. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number
}

export const systemClock: Clock = { now: () => Date.now() }

/** A clock tests pin and move by hand. */
export class ManualClock implements Clock {
  private current: number
  constructor(start: string | number) {
    this.current = typeof start === 'number' ? start : Date.parse(start)
  }
  now(): number {
    return this.current
  }
  advance(ms: number): void {
    this.current += ms
  }
  set(at: string | number): void {
    this.current = typeof at === 'number' ? at : Date.parse(at)
  }
}

/** `YYYY-MM-DDTHH:mm:ss.sssZ`, the only timestamp format on the wire (api.md §1.6). */
export function iso(ms: number): string {
  return new Date(ms).toISOString()
}
