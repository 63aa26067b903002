import type { IngestError } from '@hiveboard/shared'

export type SendResult =
  { kind: 'response'; status: number; retryAfter: string | null; body: string } | { kind: 'error'; error: string }

export type Outcome =
  | { kind: 'ok'; warnings: number }
  | { kind: 'partial'; accepted: number; rejected: number; errors: IngestError[] }
  | { kind: 'retry'; afterMs: number | undefined; cause: string }
  | { kind: 'split' }
  | { kind: 'fallback' }
  | { kind: 'drop'; reason: 'auth' | 'client'; status: number; body: string }

const DEFAULT_429_MS = 2000
const MAX_429_MS = 60_000

function parseJson(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body)
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

/** Retry-After (seconds or HTTP-date), else `details.retry_after_seconds`, else 2 s; capped at 60 s. */
export function retryAfterMs(header: string | null, body: string, now: number): number {
  let ms: number | undefined
  const h = header?.trim() ?? ''
  if (h !== '') {
    if (/^\d+(\.\d+)?$/.test(h)) ms = Number(h) * 1000
    else {
      const at = Date.parse(h)
      if (!Number.isNaN(at)) ms = Math.max(0, at - now)
    }
  }
  if (ms === undefined) {
    const details = parseJson(body)?.['details']
    const seconds =
      typeof details === 'object' && details !== null
        ? (details as Record<string, unknown>)['retry_after_seconds']
        : undefined
    if (typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0) ms = seconds * 1000
  }
  return Math.min(MAX_429_MS, ms ?? DEFAULT_429_MS)
}

/** Pure mapping of one send result to what the transport does next (sdk.md §5.3). */
export function classifyResponse(result: SendResult, gzipped: boolean, now: number = Date.now()): Outcome {
  if (result.kind === 'error') return { kind: 'retry', afterMs: undefined, cause: result.error }
  const { status, body } = result
  if (status === 207) {
    const parsed = parseJson(body)
    const accepted = typeof parsed?.['accepted'] === 'number' ? parsed['accepted'] : 0
    const rejected = typeof parsed?.['rejected'] === 'number' ? parsed['rejected'] : 0
    const errors = Array.isArray(parsed?.['errors']) ? (parsed['errors'] as IngestError[]) : []
    return { kind: 'partial', accepted, rejected, errors }
  }
  if (status >= 200 && status < 300) {
    const warnings = parseJson(body)?.['warnings']
    return { kind: 'ok', warnings: Array.isArray(warnings) ? warnings.length : 0 }
  }
  if (status === 429) return { kind: 'retry', afterMs: retryAfterMs(result.retryAfter, body, now), cause: '429' }
  if (status === 408 || (status >= 500 && status < 600))
    return { kind: 'retry', afterMs: undefined, cause: String(status) }
  if (status === 413) return { kind: 'split' }
  if (gzipped && (status === 400 || status === 415)) return { kind: 'fallback' }
  if (status === 401 || status === 403) return { kind: 'drop', reason: 'auth', status, body }
  return { kind: 'drop', reason: 'client', status, body }
}
