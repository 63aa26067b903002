import type { RequestHandler } from 'express'

const EXPOSED = 'X-Request-Id, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, Retry-After'

/**
 * Local mode: CORS on every response and preflights answered before auth (api.md §1.8). Production: no
 * CORS headers at all (IIS owns them), but OPTIONS still answers 204 without auth.
 */
export function cors(mode: 'local' | 'production'): RequestHandler {
  return (req, res, next) => {
    if (mode === 'local') {
      res.setHeader('Access-Control-Allow-Origin', '*')
      res.setHeader('Access-Control-Expose-Headers', EXPOSED)
    }
    if (req.method !== 'OPTIONS') {
      next()
      return
    }
    if (mode === 'local') {
      res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, POST, PUT, DELETE, OPTIONS')
      res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, X-Request-Id')
      res.setHeader('Access-Control-Max-Age', '600')
    }
    res.status(204).end()
  }
}

/** API responses are never cached and never sniffed (api.md §1.8). */
export function apiHeaders(): RequestHandler {
  return (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store')
    res.setHeader('X-Content-Type-Options', 'nosniff')
    next()
  }
}
