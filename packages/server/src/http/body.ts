import type { RequestHandler } from 'express'
import { AppError } from '../errors/app-error.js'

function tooLarge(limit: number): AppError {
  return new AppError('body_too_large', `Request body exceeds ${limit} bytes`, { limit_bytes: limit })
}

const JSON_TYPE = /^application\/json\s*(;|$)/i

/**
 * Reads a JSON body after auth and rate limiting (api.md §1.7 order). 413 on Content-Length or on bytes
 * read, 415 for another type or any Content-Encoding, 400 `invalid_json`; an empty body reads as `{}`.
 */
export function jsonBody(limit: number): RequestHandler {
  return (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') {
      next()
      return
    }
    const encoding = req.headers['content-encoding']
    if (encoding !== undefined && encoding.toLowerCase() !== 'identity') {
      next(new AppError('unsupported_media_type', `Content-Encoding '${encoding}' is not supported`))
      return
    }
    const declared = Number(req.headers['content-length'] ?? '0')
    if (declared > limit) {
      res.setHeader('Connection', 'close')
      next(tooLarge(limit))
      return
    }
    const chunks: Buffer[] = []
    let size = 0
    let failed = false
    req.on('data', (chunk: Buffer) => {
      if (failed) return
      size += chunk.length
      if (size > limit) {
        failed = true
        res.setHeader('Connection', 'close')
        next(tooLarge(limit))
        return
      }
      chunks.push(chunk)
    })
    req.on('error', (error) => {
      if (!failed) {
        failed = true
        next(error)
      }
    })
    req.on('end', () => {
      if (failed) return
      if (size === 0) {
        req.body = {}
        next()
        return
      }
      if (!JSON_TYPE.test(req.headers['content-type'] ?? '')) {
        next(new AppError('unsupported_media_type', 'Content-Type must be application/json'))
        return
      }
      try {
        req.body = JSON.parse(Buffer.concat(chunks, size).toString('utf8')) as unknown
      } catch {
        next(new AppError('invalid_json', 'Request body is not valid JSON'))
        return
      }
      next()
    })
  }
}
