/** Time ranges, intervals and window decomposition (api.md §1.5). Pure functions. */

export const MINUTE_MS = 60_000
export const HOUR_MS = 3_600_000
export const DAY_MS = 86_400_000

export const RANGES = ['1h', '6h', '24h', '7d', '30d'] as const
export type Range = (typeof RANGES)[number]
export const INTERVALS = ['1m', '5m', '15m', '1h', '6h', '1d'] as const
export type Interval = (typeof INTERVALS)[number]

export const RANGE_MS: Record<Range, number> = {
  '1h': HOUR_MS,
  '6h': 6 * HOUR_MS,
  '24h': DAY_MS,
  '7d': 7 * DAY_MS,
  '30d': 30 * DAY_MS,
}
export const INTERVAL_MS: Record<Interval, number> = {
  '1m': MINUTE_MS,
  '5m': 5 * MINUTE_MS,
  '15m': 15 * MINUTE_MS,
  '1h': HOUR_MS,
  '6h': 6 * HOUR_MS,
  '1d': DAY_MS,
}
export const DEFAULT_INTERVAL: Record<Range, Interval> = {
  '1h': '5m',
  '6h': '15m',
  '24h': '1h',
  '7d': '6h',
  '30d': '1d',
}
export const MAX_BUCKETS = 1440

/** Start of the fixed-size cell holding `ts` (epoch-aligned; used only for internal rollup cells). */
export function bucketStart(ts: number, sizeMs: number): number {
  return Math.floor(ts / sizeMs) * sizeMs
}

/** First cell boundary at or after `ts`. */
export function bucketCeil(ts: number, sizeMs: number): number {
  return Math.ceil(ts / sizeMs) * sizeMs
}

/** Null when the interval is longer than the range or yields more than 1 440 buckets (api.md §1.5). */
export function bucketCount(range: Range, interval: Interval): number | null {
  const n = RANGE_MS[range] / INTERVAL_MS[interval]
  return n < 1 || n > MAX_BUCKETS ? null : n
}

/** api.md §1.5: bucket i starts at now − range + i·interval; not clock-aligned. */
export function bucketStarts(now: number, range: Range, interval: Interval): number[] {
  const count = bucketCount(range, interval) ?? 0
  const start = now - RANGE_MS[range]
  const step = INTERVAL_MS[interval]
  return Array.from({ length: count }, (_, i) => start + i * step)
}

/**
 * Half-open `[from, to)` of bucket i: the last one ends just after `now`, so `now` itself is included
 * (times are whole milliseconds).
 */
export function bucketBounds(now: number, range: Range, interval: Interval): Array<[number, number]> {
  const starts = bucketStarts(now, range, interval)
  const step = INTERVAL_MS[interval]
  return starts.map((s, i) => [s, i === starts.length - 1 ? now + 1 : s + step])
}

/** One piece of a window: a run of whole cells of `sizeMs`, or raw events when sizeMs is 0. */
export interface Piece {
  sizeMs: number
  from: number
  to: number
}

/**
 * Covers `[from, to)` with the largest aligned cells available (sizes descending, each a multiple of the
 * next) and raw pieces at the ragged edges, so every instant is covered exactly once.
 */
export function decompose(from: number, to: number, sizes: readonly number[]): Piece[] {
  if (from >= to) return []
  const [size, ...rest] = sizes
  if (size === undefined) return [{ sizeMs: 0, from, to }]
  const lo = bucketCeil(from, size)
  const hi = bucketStart(to, size)
  if (lo >= hi) return decompose(from, to, rest)
  return [...decompose(from, lo, rest), { sizeMs: size, from: lo, to: hi }, ...decompose(hi, to, rest)]
}
