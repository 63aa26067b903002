import type { RequestHandler } from 'express'
import type { Logger } from '../logger.js'

/** One line per request with its id; the query string is dropped so no `token` value is ever logged. */
export function accessLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = performance.now()
    res.on('finish', () => {
      if (!logger.isLevelEnabled('info')) return
      logger.info(
        {
          request_id: res.locals['requestId'] as string | undefined,
          method: req.method,
          path: req.path,
          status: res.statusCode,
          ms: Math.round(performance.now() - started),
        },
        'request',
      )
    })
    next()
  }
}
