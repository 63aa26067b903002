import type { Request } from 'express'
import { AppError, fieldError } from '../errors/app-error.js'
import { parseTimestamp } from '../domains/ingest/timestamps.js'

/**
 * Typed access to query parameters (api.md §1.2): unknown ones ignored, a repeated one is 400, lists are
 * comma-separated, booleans true|false|1|0, and an invalid value is always 400, never defaulted.
 */
export class QueryReader {
  private readonly raw: Record<string, unknown>
  constructor(req: Request) {
    this.raw = req.query
  }

  string(name: string): string | undefined {
    const value = this.raw[name]
    if (value === undefined) return undefined
    if (typeof value !== 'string') throw fieldError(`query.${name}`, 'Repeated or structured parameter')
    return value
  }

  /** A non-empty string, or undefined when absent or empty. */
  text(name: string): string | undefined {
    const value = this.string(name)
    return value === undefined || value === '' ? undefined : value
  }

  list(name: string): string[] | undefined {
    const value = this.string(name)
    if (value === undefined) return undefined
    const items = value
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '')
    if (items.length === 0) throw fieldError(`query.${name}`, 'Expected a comma-separated list')
    return items
  }

  enumList<T extends string>(name: string, allowed: readonly T[]): T[] | undefined {
    const items = this.list(name)
    if (items === undefined) return undefined
    for (const item of items) {
      if (!(allowed as readonly string[]).includes(item)) {
        throw fieldError(`query.${name}`, `Unknown value '${item}'; expected one of ${allowed.join(', ')}`)
      }
    }
    return items as T[]
  }

  enum<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.string(name)
    if (value === undefined) return fallback
    if (!(allowed as readonly string[]).includes(value)) {
      throw fieldError(`query.${name}`, `Expected one of ${allowed.join(', ')}`)
    }
    return value as T
  }

  int(name: string, min: number, max: number, fallback: number): number {
    const value = this.string(name)
    if (value === undefined) return fallback
    const n = Number(value)
    if (!/^-?\d+$/.test(value) || n < min || n > max) {
      throw fieldError(`query.${name}`, `Expected an integer from ${min} to ${max}`)
    }
    return n
  }

  bool(name: string, fallback: boolean): boolean {
    const value = this.string(name)
    if (value === undefined) return fallback
    if (value === 'true' || value === '1') return true
    if (value === 'false' || value === '0') return false
    throw fieldError(`query.${name}`, 'Expected true, false, 1 or 0')
  }

  /** Epoch ms of an ISO 8601 date-time (api.md §1.6). */
  time(name: string): number | undefined {
    const value = this.string(name)
    if (value === undefined) return undefined
    const ms = parseTimestamp(value)
    if (ms === null) throw fieldError(`query.${name}`, 'Expected an ISO 8601 date-time')
    return ms
  }

  /** `since`/`until`, inclusive; since > until is 400. */
  window(): { since: number | undefined; until: number | undefined } {
    const since = this.time('since')
    const until = this.time('until')
    if (since !== undefined && until !== undefined && since > until) {
      throw fieldError('query.since', 'since must not be after until')
    }
    return { since, until }
  }

  limit(): number {
    return this.int('limit', 1, 200, 50)
  }
}

export function invalidCursor(): AppError {
  return new AppError('invalid_cursor', 'Cursor is malformed or does not match this query')
}
