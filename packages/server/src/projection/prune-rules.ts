import { isAfter, lowerBoundTs, upperBound, type Ordered } from './order.js'
import type { EventRecord } from './stored-event.js'

export const HEARTBEAT_COLD_MS = 600_000
export const ACTION_STARTED_COLD_MS = 86_400_000
export const DAY_MS = 86_400_000

/** TTL cutoff of events.md E121: events before max(now − days, pruned_before) are removed. */
export function ttlCutoff(now: number, retentionDays: number, prunedBefore: number | null): number {
  return Math.max(now - retentionDays * DAY_MS, prunedBefore ?? Number.NEGATIVE_INFINITY)
}

/** E121, TTL first: 'ttl', 'cold' (heartbeat > 10 min, action_started > 1 day, strict) or null. */
export function pruneKind(
  record: { ts: number; eventType: string },
  now: number,
  cutoff: number,
): 'ttl' | 'cold' | null {
  if (Number.isNaN(record.ts)) return null
  if (record.ts < cutoff) return 'ttl'
  const age = now - record.ts
  if (record.eventType === 'heartbeat' && age > HEARTBEAT_COLD_MS) return 'cold'
  if (record.eventType === 'action_started' && age > ACTION_STARTED_COLD_MS) return 'cold'
  return null
}

/**
 * The events one run removes, touching only the TTL prefix and the cold candidates (heartbeats and
 * action_started, both kept in order), never the whole store.
 */
export function collectRemovals(
  events: readonly EventRecord[],
  coldCandidates: readonly EventRecord[],
  now: number,
  cutoff: number,
): { ttl: EventRecord[]; cold: EventRecord[] } {
  const ttl = events.slice(0, lowerBoundTs(events, cutoff))
  const cold: EventRecord[] = []
  const end = lowerBoundTs(coldCandidates, now - HEARTBEAT_COLD_MS)
  for (let i = 0; i < end; i++) {
    const e = coldCandidates[i] as EventRecord
    if (pruneKind(e, now, cutoff) === 'cold') cold.push(e)
  }
  return { ttl, cold }
}

/** Keeps the items not in `removed`, in place and in order. */
export function removeInPlace<T>(items: T[], removed: ReadonlySet<T>, from = 0): void {
  let w = from
  for (let i = from; i < items.length; i++) {
    const item = items[i] as T
    if (!removed.has(item)) items[w++] = item
  }
  items.length = w
}

/**
 * The first index of a list in canonical order that can hold any of `candidates` (found by binary search):
 * removal only needs to compact from there. Cold heartbeats leave from the last quarter hour, so a prune at
 * a million events touches the tail of each list instead of walking every item.
 */
export function firstAffectedIndex<T extends Ordered>(items: readonly T[], candidates: Iterable<T>): number {
  const [earliest] = earliestOf(candidates)
  return earliest === undefined ? items.length : Math.max(0, upperBound(items, earliest, (x) => x) - 1)
}

/** The earliest of `items` in canonical order, as a list of zero or one item. */
export function earliestOf<T extends Ordered>(items: Iterable<T>): T[] {
  let earliest: T | undefined
  for (const item of items) if (earliest === undefined || isAfter(earliest, item)) earliest = item
  return earliest === undefined ? [] : [earliest]
}

/** removeInPlace for a list in canonical order: compacts only from the first affected index. */
export function removeOrdered<T extends Ordered>(
  items: T[],
  removed: ReadonlySet<T>,
  candidates: Iterable<T> = removed,
): void {
  removeInPlace(items, removed, firstAffectedIndex(items, candidates))
}
