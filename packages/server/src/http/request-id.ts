import { randomUUID } from 'node:crypto'
import type { RequestHandler } from 'express'

const CLIENT_ID = /^[A-Za-z0-9._-]{1,64}$/

/** X-Request-Id on every response: the client's when well-formed, else a UUIDv4 (api.md §1.8). */
export function requestId(): RequestHandler {
  return (req, res, next) => {
    const sent = req.headers['x-request-id']
    const id = typeof sent === 'string' && CLIENT_ID.test(sent) ? sent : randomUUID()
    res.locals['requestId'] = id
    res.setHeader('X-Request-Id', id)
    next()
  }
}
