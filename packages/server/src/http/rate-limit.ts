import type { RequestHandler } from 'express'
import type { Clock } from '../clock.js'
import { AppError } from '../errors/app-error.js'
import { principalOf } from './principal.js'

export type LimitScope = 'ingest' | 'query'

/** Timestamps of counted requests in the last second, per principal and scope. */
class SlidingWindows {
  private readonly windows = new Map<string, number[]>()

  /** Records a request at `now` if under `limit`; returns the window after the decision. */
  take(key: string, now: number, limit: number): { allowed: boolean; hits: number[] } {
    const hits = (this.windows.get(key) ?? []).filter((t) => t > now - 1000)
    const allowed = hits.length < limit
    if (allowed) hits.push(now)
    if (hits.length > 0) this.windows.set(key, hits)
    else this.windows.delete(key)
    if (this.windows.size > 10_000) this.sweep(now)
    return { allowed, hits }
  }

  private sweep(now: number): void {
    for (const [key, hits] of this.windows) if ((hits[hits.length - 1] ?? 0) <= now - 1000) this.windows.delete(key)
  }
}

/** The per-principal windows, shared by the middleware and the `/v1/stream` upgrade (api.md §1.7). */
export class RateLimiter {
  private readonly windows = new SlidingWindows()

  constructor(
    private readonly clock: Clock,
    readonly limits: Record<LimitScope, number>,
  ) {}

  take(scope: LimitScope, limitKey: string): { allowed: boolean; hits: number[]; limit: number; now: number } {
    const limit = this.limits[scope]
    const now = this.clock.now()
    return { ...this.windows.take(`${scope}:${limitKey}`, now, limit), limit, now }
  }
}

/**
 * Two independent 1-second sliding windows per principal (api.md §1.7): ingest and query. Headers on
 * every limited response; 429 with Retry-After when over. Only authenticated requests reach this.
 */
export function rateLimit(limiter: RateLimiter): RequestHandler {
  return (req, res, next) => {
    const principal = principalOf(res)
    // One trailing slash is ignored (api.md §1.1), so `/ingest/` is the ingest window too.
    const scope: LimitScope = req.method === 'POST' && /^\/ingest\/?$/.test(req.path) ? 'ingest' : 'query'
    const { allowed, hits, limit, now } = limiter.take(scope, principal.limitKey)
    const oldest = hits[0] ?? now
    res.setHeader('X-RateLimit-Limit', String(limit))
    res.setHeader('X-RateLimit-Remaining', String(Math.max(0, limit - hits.length)))
    res.setHeader('X-RateLimit-Reset', String(Math.ceil((oldest + 1000) / 1000)))
    if (allowed) {
      next()
      return
    }
    const retryAfter = Math.max(1, Math.ceil((oldest + 1000 - now) / 1000))
    res.setHeader('Retry-After', String(retryAfter))
    next(
      new AppError('rate_limit_exceeded', `Rate limit exceeded: ${limit} ${scope} requests per second`, {
        retry_after_seconds: retryAfter,
        limit,
        window_seconds: 1,
        scope,
      }),
    )
  }
}
