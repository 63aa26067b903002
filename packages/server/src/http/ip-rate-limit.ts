import type { RequestHandler } from 'express'
import type { Clock } from '../clock.js'
import { AppError } from '../errors/app-error.js'

const WINDOW_MS = 60_000

/**
 * Per-client-IP sliding one-minute window for the public auth routes (api.md §1.7 Beyond): slows password
 * guessing and slug enumeration. `req.ip` honours `trust_proxy` (first X-Forwarded-For hop) via Express.
 */
export function ipRateLimit(clock: Clock, scope: string, perMinute: number): RequestHandler {
  const windows = new Map<string, number[]>()
  return (req, res, next) => {
    const now = clock.now()
    const ip = req.ip ?? req.socket.remoteAddress ?? 'unknown'
    const hits = (windows.get(ip) ?? []).filter((t) => t > now - WINDOW_MS)
    const allowed = hits.length < perMinute
    if (allowed) hits.push(now)
    windows.set(ip, hits)
    if (windows.size > 10_000) {
      for (const [key, times] of windows) if ((times[times.length - 1] ?? 0) <= now - WINDOW_MS) windows.delete(key)
    }
    const oldest = hits[0] ?? now
    res.setHeader('X-RateLimit-Limit', String(perMinute))
    res.setHeader('X-RateLimit-Remaining', String(Math.max(0, perMinute - hits.length)))
    res.setHeader('X-RateLimit-Reset', String(Math.ceil((oldest + WINDOW_MS) / 1000)))
    if (allowed) {
      next()
      return
    }
    const retryAfter = Math.max(1, Math.ceil((oldest + WINDOW_MS - now) / 1000))
    res.setHeader('Retry-After', String(retryAfter))
    next(
      new AppError('rate_limit_exceeded', `Too many requests: ${perMinute} per minute from one address`, {
        retry_after_seconds: retryAfter,
        limit: perMinute,
        window_seconds: 60,
        scope,
      }),
    )
  }
}
