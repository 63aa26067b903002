const ISO = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/

/**
 * Epoch ms of an ISO 8601 date-time with seconds, optional fraction (extra digits truncated) and optional
 * zone (none = UTC), or null (api.md §1.6, events.md E8). Date-only strings, numbers and free text are
 * unparsable, and so are impossible dates such as February 30.
 */
export function parseTimestamp(value: string): number | null {
  const m = ISO.exec(value)
  if (m === null) return null
  const [, y, mo, d, h, mi, s, frac, , sign, oh, om] = m
  const year = Number(y)
  const month = Number(mo)
  const day = Number(d)
  const hour = Number(h)
  const minute = Number(mi)
  const second = Number(s)
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null
  const ms = frac === undefined ? 0 : Number(frac.slice(0, 3).padEnd(3, '0'))
  const local = Date.UTC(year, month - 1, day, hour, minute, second, ms)
  if (new Date(local).getUTCDate() !== day) return null // e.g. 2026-02-30
  if (sign === undefined) return local
  const offsetHours = Number(oh)
  const offsetMinutes = Number(om)
  if (offsetHours > 23 || offsetMinutes > 59) return null
  const offset = (offsetHours * 60 + offsetMinutes) * 60_000
  return sign === '+' ? local - offset : local + offset
}
