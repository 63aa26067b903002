/** Any object with these four methods: console, pino, winston, bunyan. */
export interface Logger {
  debug(message: string): void
  info(message: string): void
  warn(message: string): void
  error(message: string): void
}

type Level = keyof Logger

const RATE_WINDOW_MS = 60_000

/** Writes `[loophive] <level>: <message>` to stderr, never through console (so console hooks cannot see it). */
export const stderrLogger: Logger = {
  debug: (m) => write('debug', m),
  info: (m) => write('info', m),
  warn: (m) => write('warn', m),
  error: (m) => write('error', m),
}

function write(level: Level, message: string): void {
  try {
    process.stderr.write(`[loophive] ${level}: ${message}\n`)
  } catch {
    // stderr closed: nothing sensible to do
  }
}

/** Hides all but the first 10 characters of any `hb_` key in a message. */
export function redact(message: string): string {
  return message.replace(/\bhb_[A-Za-z0-9_-]{8,}/g, (key) => `${key.slice(0, 10)}...`)
}

/** The SDK's own log: debug gating, per-message rate limit, key redaction, never throws. */
export class Log {
  private readonly seen = new Map<string, { at: number; suppressed: number }>()
  private readonly sink: Logger | undefined

  constructor(
    logger: Logger | false | undefined,
    readonly debugEnabled: boolean,
    private readonly now: () => number = Date.now,
  ) {
    this.sink = logger === false ? undefined : (logger ?? stderrLogger)
  }

  /** `build` is only called when debug is on, so debug strings cost nothing otherwise. */
  debug(build: () => string): void {
    if (this.debugEnabled) this.emit('debug', build)
  }

  info(message: string): void {
    if (this.debugEnabled) this.emit('info', () => message)
  }

  /** Rate limited per distinct `key` (default: the message): once per 60 s, then with a suppressed count. */
  warn(message: string, key: string = message): void {
    this.limited('warn', message, key)
  }

  error(message: string, key: string = message): void {
    this.limited('error', message, key)
  }

  private limited(level: Level, message: string, key: string): void {
    const now = this.now()
    const entry = this.seen.get(key)
    if (entry !== undefined && now - entry.at < RATE_WINDOW_MS) {
      entry.suppressed++
      return
    }
    const suffix = entry !== undefined && entry.suppressed > 0 ? ` (${entry.suppressed} similar suppressed)` : ''
    this.seen.set(key, { at: now, suppressed: 0 })
    this.emit(level, () => message + suffix)
  }

  private emit(level: Level, build: () => string): void {
    const sink = this.sink
    if (sink === undefined) return
    try {
      sink[level](redact(build()))
    } catch {
      // a broken logger must not break the host
    }
  }
}
