import { timingSafeEqual } from 'node:crypto'
import { Router, type Request, type Response } from 'express'
import { AppError, validationError } from '../errors/app-error.js'
import { sendError } from '../errors/error-middleware.js'
import type { Principal } from '../http/principal.js'
import { ApiGatewayBroadcaster, type Registration } from './apigw-broadcaster.js'
import type { Broadcaster, StreamContext } from './broadcaster.js'
import { readLimitedBody } from './bridge-body.js'
import { MAX_MESSAGE_BYTES } from './local-ws-broadcaster.js'
import { errorMessage, handleClientMessage, messageToken, rateLimitedMessage, replyMessage } from './protocol.js'

function connectionIdOf(req: Request): string {
  const id = req.headers['connectionid']
  if (typeof id !== 'string' || id === '') {
    throw validationError(
      [{ field: 'connectionId', message: 'Header connectionId is required' }],
      'Missing connectionId header',
    )
  }
  return id
}

function sameSecret(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

/**
 * `/ws/connect|disconnect|message` (realtime.md §6, api.md §4.15): public, not rate-limited, auth inside. Always
 * mounted; unless the app's broadcaster is the bridge, every call answers 501 `bridge_inactive` first (R6).
 */
export function bridgeRoutes(broadcaster: Broadcaster, context: StreamContext, bridgeSecret: string): Router {
  const router = Router()
  const bridge = broadcaster instanceof ApiGatewayBroadcaster ? broadcaster : undefined
  router.use('/ws', (req, res, next) => {
    if (bridge === undefined) throw new AppError('bridge_inactive', 'The API Gateway bridge is not active')
    // Beyond (R27): with a configured secret, API Gateway must send it; compared in constant time.
    if (bridgeSecret !== '' && !sameSecret(req.headers['x-bridge-secret'], bridgeSecret)) {
      throw new AppError('authentication_failed', 'Invalid bridge secret')
    }
    res.setHeader('Cache-Control', 'no-store')
    res.locals['connectionId'] = connectionIdOf(req)
    next()
  })
  if (bridge === undefined) return router
  const resolve = (token: string | undefined): Principal => {
    if (token === undefined)
      throw validationError([{ field: 'token', message: 'Query parameter token is required' }], 'Missing token')
    const principal = context.resolveCredential(token)
    if (principal === undefined) throw new AppError('authentication_failed', 'Invalid token')
    return principal
  }

  router.post('/ws/connect', (req, res) => {
    const token = typeof req.query['token'] === 'string' && req.query['token'] !== '' ? req.query['token'] : undefined
    bridge.register(res.locals['connectionId'] as string, resolve(token))
    res.json({ status: 'connected' })
  })

  router.post('/ws/disconnect', (_req, res) => {
    bridge.unregister(res.locals['connectionId'] as string)
    res.json({ status: 'disconnected' })
  })

  router.post('/ws/message', async (req, res) => {
    const id = res.locals['connectionId'] as string
    const fail = (error: AppError): void => {
      bridge.reply(id, errorMessage(error))
      sendError(res, error)
    }
    const text = await readLimitedBody(req, MAX_MESSAGE_BYTES)
    if (text === undefined) {
      return fail(
        new AppError('body_too_large', `Message exceeds ${MAX_MESSAGE_BYTES} bytes`, {
          limit_bytes: MAX_MESSAGE_BYTES,
        }),
      )
    }
    let message: unknown
    try {
      message = JSON.parse(text) as unknown
    } catch {
      return fail(new AppError('invalid_json', 'Message is not valid JSON'))
    }
    let registration = bridge.get(id)
    const reregistered = registration === undefined
    if (registration === undefined) registration = reregister(bridge, id, message, resolve, res)
    if (registration === undefined) return
    handleMessage(bridge, registration, message, reregistered, context, res)
  })
  return router
}

/** R33: an unknown id re-registers with a valid body token, whatever the action. */
function reregister(
  bridge: ApiGatewayBroadcaster,
  id: string,
  message: unknown,
  resolve: (token: string | undefined) => Principal,
  res: Response,
): Registration | undefined {
  const token = messageToken(message)
  try {
    if (token === undefined) {
      throw new AppError('validation_error', 'Unknown connection; include token to re-register', {
        reason: 'unknown_connection',
      })
    }
    return bridge.register(id, resolve(token))
  } catch (error) {
    if (!(error instanceof AppError)) throw error
    bridge.reply(id, errorMessage(error))
    sendError(res, error)
    return undefined
  }
}

function handleMessage(
  bridge: ApiGatewayBroadcaster,
  registration: Registration,
  message: unknown,
  reregistered: boolean,
  context: StreamContext,
  res: Response,
): void {
  const id = registration.connectionId
  const verdict = registration.inbound.take(performance.now())
  if (verdict !== 'ok') {
    const limited = rateLimitedMessage()
    if (verdict === 'error') bridge.reply(id, limited)
    res.status(429).json(limited.data)
    return
  }
  const tenantId = registration.principal.tenantId
  const outcome = handleClientMessage(message, registration.subscription, (ref) => context.findProjectId(tenantId, ref))
  if (outcome.kind === 'subscribed' || outcome.kind === 'unsubscribed') registration.subscription = outcome.subscription
  bridge.reply(id, replyMessage(outcome, registration.subscription, context.now(), reregistered))
  const sub = registration.subscription
  switch (outcome.kind) {
    case 'subscribed':
      return void res.json({ status: 'subscribed', channels: sub.channels, filters: sub.filters })
    case 'unsubscribed':
      return void res.json({ status: 'unsubscribed', channels: sub.channels })
    case 'pong':
      return void res.json({ status: 'pong', reregistered })
    case 'error':
      if (outcome.unknownAction) return void res.json({ status: 'unknown_action' })
      return sendError(res, outcome.error)
  }
}
