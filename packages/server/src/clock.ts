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

const ISO_CACHE_LIMIT = 65_536
const isoCache = new Map<number, string>()

/**
 * `YYYY-MM-DDTHH:mm:ss.sssZ`, the only timestamp format on the wire (api.md §1.6). Responses format the same
 * instants again and again (every agent's last_seen, heartbeat, task times: ~1,000 per `/v1/agents`), so recent
 * strings are kept: a lookup is ~15 ns, formatting ~500 ns. The cache is emptied whenever it fills.
 */
export function iso(ms: number): string {
  let text = isoCache.get(ms)
  if (text === undefined) {
    text = new Date(ms).toISOString()
    if (isoCache.size >= ISO_CACHE_LIMIT) isoCache.clear()
    isoCache.set(ms, text)
  }
  return text
}
