import { Writable } from 'node:stream'
import { format } from 'node:util'
import { truncateCodePoints } from '@hiveboard/shared'
import type { Agent } from './agent.js'
import { safeStringify } from './serialize.js'

export interface ForwardOptions {
  level?: 'warn' | 'error' | 'fatal' | undefined
  category?: string | undefined
  loggerName?: string | undefined
  maxPerMinute?: number | undefined
}

export type LogRecord = Record<string, unknown>

const LEVELS = [
  { min: 60, severity: 'critical', name: 'CRITICAL', rank: 3, words: ['fatal', 'critical', 'crit', 'alert', 'emerg'] },
  { min: 50, severity: 'high', name: 'ERROR', rank: 2, words: ['error', 'err'] },
  { min: 40, severity: 'medium', name: 'WARNING', rank: 1, words: ['warn', 'warning'] },
] as const
const MIN_RANK = { warn: 1, error: 2, fatal: 3 } as const

type Level = (typeof LEVELS)[number]

function levelOf(record: LogRecord): Level | undefined {
  const raw = record['level'] ?? record['levelName']
  if (typeof raw === 'number') return LEVELS.find((l) => raw >= l.min && (l.min === 60 || raw < l.min + 10))
  if (typeof raw === 'string') {
    const word = raw.toLowerCase()
    return LEVELS.find((l) => (l.words as readonly string[]).includes(word))
  }
  return undefined
}

interface Window {
  start: number
  count: number
  suppressed: number
}
const windows = new WeakMap<Agent, Map<string, Window>>()
let forwarding = false

/** Turns one log record into an `issue` event (sdk.md §6.2). Never throws. */
export function forwardLog(agent: Agent, record: LogRecord, options: ForwardOptions = {}): void {
  if (forwarding) return
  forwarding = true
  try {
    forward(agent, record, options)
  } catch {
    // a log record never breaks the host
  } finally {
    forwarding = false
  }
}

function forward(agent: Agent, record: LogRecord, o: ForwardOptions): void {
  if (typeof record !== 'object' || record === null) return
  const level = levelOf(record)
  if (level === undefined || level.rank < MIN_RANK[o.level ?? 'warn']) return
  const rawMsg = record['msg'] ?? record['message']
  const text = typeof rawMsg === 'string' ? rawMsg : (safeStringify(rawMsg) ?? String(rawMsg))
  if (text.startsWith('[loophive]')) return
  const named = [record['name'], record['logger'], record['label']].find((v) => typeof v === 'string' && v !== '')
  const logger = (named as string | undefined) ?? o.loggerName ?? 'root'
  if (logger.startsWith('loophive')) return
  const issueId = `log-${logger}-${level.name}`
  const occurrence = admit(agent, issueId, o.maxPerMinute ?? 10)
  if (occurrence === undefined) return
  const context: Record<string, unknown> = { logger }
  for (const key of ['filename', 'lineno', 'funcName'] as const) if (record[key] != null) context[key] = record[key]
  agent.reportIssue(truncateCodePoints(text, 512), level.severity, {
    issueId,
    category: o.category ?? 'log',
    context,
    ...(occurrence > 1 ? { occurrenceCount: occurrence } : {}),
  })
}

/** Per issue_id per minute; returns the occurrence count to send, or undefined when suppressed. */
function admit(agent: Agent, issueId: string, max: number): number | undefined {
  let map = windows.get(agent)
  if (map === undefined) windows.set(agent, (map = new Map<string, Window>()))
  const now = Date.now()
  let w = map.get(issueId)
  if (w === undefined || now - w.start >= 60_000) {
    const suppressed = w?.suppressed ?? 0
    map.set(issueId, (w = { start: now, count: 0, suppressed }))
  }
  if (w.count >= max) {
    w.suppressed++
    return undefined
  }
  w.count++
  const occurrence = 1 + w.suppressed
  w.suppressed = 0
  return occurrence
}

/** A Writable of newline-delimited JSON records (pino destination, winston Stream transport). */
export function logStream(agent: Agent, options: ForwardOptions = {}): Writable {
  let rest = ''
  const handle = (line: string) => {
    const trimmed = line.trim()
    if (trimmed === '') return
    try {
      const record: unknown = JSON.parse(trimmed)
      if (typeof record === 'object' && record !== null && !Array.isArray(record))
        forwardLog(agent, record as LogRecord, options)
    } catch {
      // non-JSON lines are ignored
    }
  }
  return new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      try {
        const lines = (rest + (typeof chunk === 'string' ? chunk : chunk.toString('utf8'))).split('\n')
        rest = lines.pop() ?? ''
        for (const line of lines) handle(line)
      } catch {
        // never emit 'error'
      }
      callback()
    },
    final(callback) {
      handle(rest)
      rest = ''
      callback()
    },
  })
}

/** Wraps console.warn/error (logger `console`), calls through, and returns unhook(). */
export function hookConsole(agent: Agent, options: ForwardOptions = {}): () => void {
  const original = { warn: console.warn, error: console.error }
  const wrap = (method: 'warn' | 'error', level: 'warn' | 'error') =>
    function (this: unknown, ...args: unknown[]): void {
      try {
        forwardLog(agent, { level, msg: format(...args), name: 'console' }, options)
      } catch {
        // forwarding never breaks console
      }
      original[method].apply(console, args)
    }
  const hooked = { warn: wrap('warn', 'warn'), error: wrap('error', 'error') }
  console.warn = hooked.warn
  console.error = hooked.error
  return () => {
    if (console.warn === hooked.warn) console.warn = original.warn
    if (console.error === hooked.error) console.error = original.error
  }
}
