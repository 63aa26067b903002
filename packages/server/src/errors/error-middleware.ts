import type { ErrorRequestHandler, Response } from 'express'
import type { ErrorEnvelope } from '@hiveboard/shared'
import { ZodError } from 'zod'
import { AppError } from './app-error.js'
import type { Logger } from '../logger.js'

export function sendError(res: Response, error: AppError): void {
  const body: ErrorEnvelope = { error: error.code, message: error.message, status: error.status }
  if (error.details !== undefined) body.details = error.details
  res.status(error.status).json(body)
}

/** Maps anything thrown by a route to the one error envelope of api.md §1.3. */
export function toAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error
  if (error instanceof ZodError) {
    const fields = error.issues.map((issue) => ({ field: issue.path.join('.'), message: issue.message }))
    return new AppError('validation_error', 'Request validation failed', { fields })
  }
  return undefined
}

export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error)
      return
    }
    const appError = toAppError(error)
    if (appError !== undefined) {
      sendError(res, appError)
      return
    }
    logger.error({ err: error, request_id: res.getHeader('x-request-id'), path: req.path }, 'unhandled error')
    sendError(res, new AppError('internal_error', 'Internal server error'))
  }
}
