import diagnosticsChannel from 'node:diagnostics_channel'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { gunzipSync } from 'node:zlib'
import type { Logger } from '../src/log.js'

export interface Captured {
  logger: Logger
  lines: Array<{ level: string; message: string }>
  text(level?: string): string
}

export function captureLogger(): Captured {
  const lines: Array<{ level: string; message: string }> = []
  const push = (level: string) => (message: string) => void lines.push({ level, message })
  return {
    lines,
    logger: { debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error') },
    text: (level) =>
      lines
        .filter((l) => level === undefined || l.level === level)
        .map((l) => l.message)
        .join('\n'),
  }
}

export interface RecordedRequest {
  at: number
  headers: IncomingHttpHeaders
  body: { envelope: Record<string, unknown>; events: Array<Record<string, unknown>> } | undefined
  raw: string
}

export interface Scripted {
  status?: number
  headers?: Record<string, string>
  body?: unknown
  delayMs?: number
  destroy?: boolean
}

/** A node:http server that records requests and replays scripted responses (default 200). */
export interface FakeServer {
  url: string
  server: Server
  requests: RecordedRequest[]
  script: Scripted[]
  fallback: Scripted
  events(): Array<Record<string, unknown>>
  close(): Promise<void>
}

export async function startFakeServer(script: Scripted[] = [], fallback: Scripted = {}, port = 0): Promise<FakeServer> {
  const requests: RecordedRequest[] = []
  const state = { script, fallback }
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      let buf = Buffer.concat(chunks)
      if (req.headers['content-encoding'] === 'gzip') buf = gunzipSync(buf)
      const raw = buf.toString('utf8')
      let body: RecordedRequest['body']
      try {
        body = JSON.parse(raw) as RecordedRequest['body']
      } catch {
        body = undefined
      }
      requests.push({ at: Date.now(), headers: req.headers, body, raw })
      const step = state.script.shift() ?? state.fallback
      const reply = () => {
        if (step.destroy === true) {
          req.socket.destroy()
          return
        }
        const n = body?.events.length ?? 0
        const payload = step.body ?? { accepted: n, rejected: 0, duplicates: 0, errors: [], warnings: [] }
        res.writeHead(step.status ?? 200, { 'content-type': 'application/json', ...step.headers })
        res.end(typeof payload === 'string' ? payload : JSON.stringify(payload))
      }
      if (step.delayMs !== undefined) setTimeout(reply, step.delayMs)
      else reply()
    })
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  const bound = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${bound}`,
    server,
    requests,
    get script() {
      return state.script
    },
    set script(s: Scripted[]) {
      state.script = s
    },
    get fallback() {
      return state.fallback
    },
    set fallback(f: Scripted) {
      state.fallback = f
    },
    events: () => requests.flatMap((r) => r.body?.events ?? []),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** A port with nothing listening. */
export async function deadUrl(): Promise<string> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return `http://127.0.0.1:${port}`
}

export const TEST_KEY = 'hb_live_0123456789abcdef0123456789abcdef'

/** Counts event-loop turns (one setImmediate per turn) until stopped. */
export function turnCounter(): { readonly turn: number; stop(): void } {
  let turn = 0
  let running = true
  const tick = (): void => {
    turn++
    if (running) setImmediate(tick)
  }
  setImmediate(tick)
  return {
    get turn() {
      return turn
    },
    stop: () => void (running = false),
  }
}

/** Records, for each message of a diagnostics channel, the turn it came in. */
export function onChannel(name: string, turns: { readonly turn: number }): { seen: number[]; off(): void } {
  const seen: number[] = []
  const listener = (): void => void seen.push(turns.turn)
  diagnosticsChannel.subscribe(name, listener)
  return { seen, off: () => diagnosticsChannel.unsubscribe(name, listener) }
}
