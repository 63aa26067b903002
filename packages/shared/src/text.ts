/** Length in Unicode code points (events.md E21: lengths count code points). */
export function codePointLength(value: string): number {
  // Fast path: no surrogates means code units == code points.
  if (!/[\uD800-\uDFFF]/.test(value)) return value.length
  let count = 0
  for (const _ of value) count++
  return count
}

/** Cut to at most `max` code points, never splitting a surrogate pair. */
export function truncateCodePoints(value: string, max: number): string {
  if (value.length <= max) return value
  if (!/[\uD800-\uDFFF]/.test(value)) return value.slice(0, max)
  let out = ''
  let count = 0
  for (const ch of value) {
    if (count === max) break
    out += ch
    count++
  }
  return out
}

/** Rounds half away from zero at 6 decimals (events.md E95). */
export function round6(value: number): number {
  const sign = value < 0 ? -1 : 1
  return (sign * Math.round(Math.abs(value) * 1e6 + Number.EPSILON)) / 1e6
}

/** Percent 0–100 with one decimal, or null for a zero denominator (api.md §1.6, events.md E68). */
export function percent(numerator: number, denominator: number): number | null {
  if (denominator <= 0) return null
  return Math.round((1000 * numerator) / denominator) / 10
}
