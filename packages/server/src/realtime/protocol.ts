import type { ErrorEnvelope } from '@hiveboard/shared'
import { iso } from '../clock.js'
import { AppError } from '../errors/app-error.js'
import { keepChannels, parseFilters, type Subscription } from './subscription.js'

/** A server → client message (realtime.md §3.2). */
export interface ServerMessage {
  type: string
  data: object
}

/** The outcome of one client message (realtime.md §3.1); both modes turn it into the same pushed reply (R34). */
export type ClientOutcome =
  | { kind: 'subscribed'; subscription: Subscription }
  | { kind: 'unsubscribed'; subscription: Subscription }
  | { kind: 'pong' }
  | { kind: 'error'; error: AppError; unknownAction: boolean }

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Reads `token` from a client message, for bridge re-registration (R15, R33). */
export function messageToken(message: unknown): string | undefined {
  const token = isRecord(message) ? message['token'] : undefined
  return typeof token === 'string' && token !== '' ? token : undefined
}

/** Applies one parsed client message to the current subscription (R14, R16, R19); never throws. */
export function handleClientMessage(
  message: unknown,
  current: Subscription,
  findProjectId: (ref: string) => string | undefined,
): ClientOutcome {
  const action = isRecord(message) ? message['action'] : undefined
  try {
    if (!isRecord(message) || (action !== 'subscribe' && action !== 'unsubscribe' && action !== 'ping')) {
      const text =
        typeof action === 'string'
          ? `Unknown action: ${action.slice(0, 32)}`
          : 'Message must be an object with an action'
      return { kind: 'error', error: new AppError('validation_error', text), unknownAction: true }
    }
    if (action === 'ping') return { kind: 'pong' }
    const channels = keepChannels(message['channels'])
    if (channels === undefined) {
      return {
        kind: 'error',
        error: new AppError('validation_error', 'channels must be an array', {
          fields: [{ field: 'channels', message: 'Expected an array of channel names' }],
        }),
        unknownAction: false,
      }
    }
    if (action === 'unsubscribe') {
      const remaining = current.channels.filter((c) => !channels.includes(c))
      return { kind: 'unsubscribed', subscription: { channels: remaining, filters: current.filters } }
    }
    // Spec R14: subscribe replaces channels and filters, no merging.
    return { kind: 'subscribed', subscription: { channels, filters: parseFilters(message['filters'], findProjectId) } }
  } catch (error) {
    if (error instanceof AppError) return { kind: 'error', error, unknownAction: false }
    throw error
  }
}

export function errorMessage(error: AppError): ServerMessage {
  const data: ErrorEnvelope = { error: error.code, message: error.message, status: error.status }
  if (error.details !== undefined) data.details = error.details
  return { type: 'error', data }
}

/** The message the client receives for an outcome (R34: identical in both modes). */
export function replyMessage(
  outcome: ClientOutcome,
  current: Subscription,
  nowMs: number,
  reregistered: boolean,
): ServerMessage {
  switch (outcome.kind) {
    case 'subscribed':
    case 'unsubscribed':
      return {
        type: 'subscribed',
        data: { channels: outcome.subscription.channels, filters: outcome.subscription.filters },
      }
    case 'pong':
      return { type: 'pong', data: { server_time: iso(nowMs), channels: current.channels, reregistered } }
    case 'error':
      return errorMessage(outcome.error)
  }
}

export function laggedMessage(dropped: number, channels: readonly string[], sinceMs: number): ServerMessage {
  return { type: 'lagged', data: { dropped, channels, since: iso(sinceMs) } }
}

/** R22: ≤ 10 inbound messages per second per connection; at most one `rate_limit_exceeded` error per second. */
export class InboundRate {
  private hits: number[] = []
  private lastErrorAt = -Infinity

  constructor(private readonly perSecond = 10) {}

  /** `ok`: handle it; `error`: ignore it and send one error; `ignore`: drop silently. */
  take(now: number): 'ok' | 'error' | 'ignore' {
    this.hits = this.hits.filter((t) => t > now - 1000)
    if (this.hits.length < this.perSecond) {
      this.hits.push(now)
      return 'ok'
    }
    if (now - this.lastErrorAt < 1000) return 'ignore'
    this.lastErrorAt = now
    return 'error'
  }
}

export function rateLimitedMessage(): ServerMessage {
  return errorMessage(
    new AppError('rate_limit_exceeded', 'Too many messages: at most 10 per second', {
      retry_after_seconds: 1,
      limit: 10,
      window_seconds: 1,
      scope: 'stream',
    }),
  )
}
