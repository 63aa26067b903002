import { createHash } from 'node:crypto'
import { invalidCursor } from './query.js'

/**
 * Opaque cursors (api.md §1.4): base64url of the sort position (sort value + unique tie-breaker) and a
 * hash of the filters and sort, so a cursor from another query is refused.
 */
export interface CursorPosition {
  /** Sort value(s), then the unique tie-breaker. */
  k: Array<string | number | null>
}

export function queryHash(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 12)
}

export function encodeCursor(position: CursorPosition, hash: string): string {
  return Buffer.from(JSON.stringify({ k: position.k, h: hash })).toString('base64url')
}

export function decodeCursor(cursor: string | undefined, hash: string): CursorPosition | undefined {
  if (cursor === undefined) return undefined
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    throw invalidCursor()
  }
  const value = parsed as { k?: unknown; h?: unknown } | null
  if (
    value === null ||
    typeof value !== 'object' ||
    value.h !== hash ||
    !Array.isArray(value.k) ||
    !value.k.every((x) => x === null || typeof x === 'string' || typeof x === 'number')
  ) {
    throw invalidCursor()
  }
  return { k: value.k as CursorPosition['k'] }
}
