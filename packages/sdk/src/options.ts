import type { EndpointSources } from './config.js'
import { HiveLoopError } from './errors.js'
import type { Logger } from './log.js'
import type { FetchLike } from './transport/sender.js'

export interface HiveBoardOptions {
  apiKey: string
  endpoint?: string | undefined
  environment?: string | undefined
  group?: string | undefined
  flushIntervalMs?: number | undefined
  batchSize?: number | undefined
  maxQueueSize?: number | undefined
  maxQueueBytes?: number | undefined
  maxBatchBytes?: number | undefined
  requestTimeoutMs?: number | undefined
  maxRetries?: number | undefined
  compression?: 'none' | 'gzip' | undefined
  debug?: boolean | undefined
  logger?: Logger | false | undefined
  fetch?: FetchLike | undefined
  flushOnBeforeExit?: boolean | undefined
  handleSignals?: boolean | undefined
  shutdownTimeoutMs?: number | undefined
  /** Where config files are looked up (tests); defaults to `process.cwd()` and `os.homedir()`. */
  configPaths?: Pick<EndpointSources, 'cwd' | 'home'> | undefined
}

export interface ResolvedOptions {
  apiKey: string
  environment: string
  group: string
  flushIntervalMs: number
  batchSize: number
  maxQueueSize: number
  maxQueueBytes: number
  maxBatchBytes: number
  requestTimeoutMs: number
  maxRetries: number
  compression: 'none' | 'gzip'
  debug: boolean
  flushOnBeforeExit: boolean
  handleSignals: boolean
  shutdownTimeoutMs: number
  clampedBatch: boolean
}

const MiB = 1024 * 1024

/** Checks the key first (sdk.md §3.2); throws HiveLoopError naming the option. */
export function checkApiKey(apiKey: unknown): string {
  if (typeof apiKey !== 'string' || !apiKey.startsWith('hb_')) {
    const shown = typeof apiKey === 'string' ? apiKey.slice(0, 10) : String(apiKey).slice(0, 10)
    throw new HiveLoopError(`Invalid API key format: must start with 'hb_' (got '${shown}...')`)
  }
  if (apiKey.startsWith('hb_read_')) throw new HiveLoopError('apiKey: read keys (hb_read_) cannot send events')
  return apiKey
}

function num(name: string, value: unknown, fallback: number, min: number, max = Infinity): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new HiveLoopError(`${name}: must be a number between ${min} and ${max}`)
  }
  return value
}

function text(name: string, value: unknown, fallback: string, max: number): string {
  if (value === undefined) return fallback
  if (typeof value !== 'string' || value.length < 1 || value.length > max) {
    throw new HiveLoopError(`${name}: must be a string of 1–${max} characters`)
  }
  return value
}

function bool(name: string, value: unknown): boolean {
  if (value === undefined) return false
  if (typeof value !== 'boolean') throw new HiveLoopError(`${name}: must be a boolean`)
  return value
}

export function resolveOptions(o: HiveBoardOptions): ResolvedOptions {
  const apiKey = checkApiKey(o?.apiKey)
  const batch = num('batchSize', o.batchSize, 100, 1)
  if (o.compression !== undefined && o.compression !== 'none' && o.compression !== 'gzip') {
    throw new HiveLoopError(`compression: must be 'none' or 'gzip'`)
  }
  if (o.logger !== undefined && o.logger !== false && typeof o.logger?.warn !== 'function') {
    throw new HiveLoopError('logger: must have debug/info/warn/error methods, or be false')
  }
  if (o.fetch !== undefined && typeof o.fetch !== 'function') throw new HiveLoopError('fetch: must be a function')
  return {
    apiKey,
    environment: text('environment', o.environment, 'production', 64),
    group: text('group', o.group, 'default', 128),
    flushIntervalMs: num('flushIntervalMs', o.flushIntervalMs, 5000, 10, 3_600_000),
    batchSize: Math.min(500, Math.floor(batch)),
    clampedBatch: batch > 500,
    maxQueueSize: num('maxQueueSize', o.maxQueueSize, 10_000, 1),
    maxQueueBytes: num('maxQueueBytes', o.maxQueueBytes, 32 * MiB, MiB),
    maxBatchBytes: num('maxBatchBytes', o.maxBatchBytes, MiB, 64 * 1024),
    requestTimeoutMs: num('requestTimeoutMs', o.requestTimeoutMs, 10_000, 100),
    maxRetries: num('maxRetries', o.maxRetries, 5, 0, 10),
    compression: o.compression ?? 'none',
    debug: bool('debug', o.debug),
    flushOnBeforeExit: bool('flushOnBeforeExit', o.flushOnBeforeExit),
    handleSignals: bool('handleSignals', o.handleSignals),
    shutdownTimeoutMs: num('shutdownTimeoutMs', o.shutdownTimeoutMs, 5000, 0),
  }
}
