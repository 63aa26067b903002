import type { Pagination } from '@hiveboard/shared'
import { decodeCursor, encodeCursor, queryHash } from './cursor.js'

export type SortKey = Array<string | number | null>

/** Element-wise; null sorts last. Keys end in a unique tie-breaker, so no two items compare equal. */
export function compareKeys(a: SortKey, b: SortKey): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? null
    const y = b[i] ?? null
    if (x === y) continue
    if (x === null) return 1
    if (y === null) return -1
    return x < y ? -1 : 1
  }
  return 0
}

export interface PageRequest {
  limit: number
  cursor: string | undefined
  /** Everything that shapes the result (filters and sort): a cursor from another query is refused. */
  query: unknown
}

/**
 * One page of `items` already sorted by `keyOf` ascending (api.md §1.4): the cursor holds the last key
 * returned, so pages never overlap or skip, even when items before it were removed.
 */
export function paginateSorted<T>(
  items: readonly T[],
  keyOf: (item: T) => SortKey,
  request: PageRequest,
): { data: T[]; pagination: Pagination } {
  const { after, hash } = cursorAfter(request)
  let start = 0
  if (after !== undefined) {
    while (start < items.length && compareKeys(keyOf(items[start] as T), after) <= 0) start++
  }
  return pageOf(items.slice(start, start + request.limit), start + request.limit < items.length, keyOf, hash)
}

/** The response shape of one page; the cursor is the last item's key. */
export function pageOf<T>(
  data: T[],
  hasMore: boolean,
  keyOf: (item: T) => SortKey,
  hash: string,
): { data: T[]; pagination: Pagination } {
  const last = data[data.length - 1]
  return {
    data,
    pagination: {
      cursor: hasMore && last !== undefined ? encodeCursor({ k: keyOf(last) }, hash) : null,
      has_more: hasMore,
    },
  }
}

/** The decoded position of a request's cursor (400 when it belongs to another query). */
export function cursorAfter(request: PageRequest): { after: SortKey | undefined; hash: string } {
  const hash = queryHash(request.query)
  return { after: decodeCursor(request.cursor, hash)?.k, hash }
}
