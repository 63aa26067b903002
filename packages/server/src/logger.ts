import { pino } from 'pino'

export type Logger = pino.Logger

export function createLogger(level: string = 'info'): Logger {
  return pino({
    level,
    base: null,
    // Never log credentials (api.md §1.8): headers are not logged and these paths are redacted.
    redact: { paths: ['authorization', 'token', 'password', '*.password', '*.token', 'raw_key'], censor: '[redacted]' },
  })
}

export function silentLogger(): Logger {
  return pino({ level: 'silent' })
}
