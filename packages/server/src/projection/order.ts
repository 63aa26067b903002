/** Canonical order (events.md E40): (timestamp, seq) ascending. */
export interface Ordered {
  readonly ts: number
  readonly seq: number
}

export function isAfter(a: Ordered, b: Ordered | null | undefined): boolean {
  return b === null || b === undefined || a.ts > b.ts || (a.ts === b.ts && a.seq > b.seq)
}

export function compareOrdered(a: Ordered, b: Ordered): number {
  return a.ts - b.ts || a.seq - b.seq
}

/** First index whose item is after `key` in canonical order (binary search). */
export function upperBound<T>(items: readonly T[], key: Ordered, pick: (item: T) => Ordered): number {
  let lo = 0
  let hi = items.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    const p = pick(items[mid] as T)
    if (p.ts < key.ts || (p.ts === key.ts && p.seq <= key.seq)) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** First index whose timestamp is ≥ ts. */
export function lowerBoundTs<T extends Ordered>(items: readonly T[], ts: number): number {
  let lo = 0
  let hi = items.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((items[mid] as T).ts < ts) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Keeps `items` in canonical order; appending is the common case, late events are spliced in. */
export function insertOrdered<T extends Ordered>(items: T[], item: T): void {
  const last = items[items.length - 1]
  if (last === undefined || isAfter(item, last)) {
    items.push(item)
    return
  }
  items.splice(
    upperBound(items, item, (x) => x),
    0,
    item,
  )
}
