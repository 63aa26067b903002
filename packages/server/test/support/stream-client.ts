import { WebSocket, type ClientOptions, type RawData } from 'ws'

export interface StreamMessage {
  type: string
  data: Record<string, unknown>
}

/** A real `ws` client that records every message and its close code, with waits that fail fast. */
export class StreamClient {
  readonly messages: StreamMessage[] = []
  /** Every message type in arrival order (never spliced). */
  readonly arrivals: string[] = []
  readonly ws: WebSocket
  private readonly waiters = new Set<() => void>()
  closeInfo: { code: number; reason: string } | undefined
  readonly opened: Promise<void>

  constructor(url: string, options: ClientOptions = {}) {
    this.ws = new WebSocket(url, options)
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve())
      this.ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)))
      this.ws.once('error', reject)
    })
    this.ws.on('message', (data) => {
      const message = JSON.parse(rawText(data)) as StreamMessage
      this.messages.push(message)
      this.arrivals.push(message.type)
      this.waiters.forEach((w) => w())
    })
    this.ws.on('close', (code, reason) => {
      this.closeInfo = { code, reason: reason.toString() }
      this.waiters.forEach((w) => w())
    })
    this.ws.on('error', () => undefined)
  }

  static async open(url: string, options: ClientOptions = {}): Promise<StreamClient> {
    const client = new StreamClient(url, options)
    await client.opened
    return client
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message))
  }

  /** Waits until `check` returns a value, or fails after `timeoutMs`. */
  private until<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const attempt = () => {
        const value = check()
        if (value === undefined) return
        cleanup()
        resolve(value)
      }
      const timer = setTimeout(() => {
        cleanup()
        reject(new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.messages.map((m) => m.type))}`))
      }, timeoutMs)
      const cleanup = () => {
        clearTimeout(timer)
        this.waiters.delete(attempt)
      }
      this.waiters.add(attempt)
      attempt()
    })
  }

  /** The first recorded message of `type` not yet taken. */
  next(type: string, timeoutMs = 2000): Promise<StreamMessage> {
    return this.until(
      () => {
        const index = this.messages.findIndex((m) => m.type === type)
        return index < 0 ? undefined : this.messages.splice(index, 1)[0]
      },
      timeoutMs,
      type,
    )
  }

  closed(timeoutMs = 3000): Promise<{ code: number; reason: string }> {
    return this.until(() => this.closeInfo, timeoutMs, 'close')
  }

  of(type: string): StreamMessage[] {
    return this.messages.filter((m) => m.type === type)
  }

  async subscribe(channels: string[], filters: Record<string, unknown> = {}): Promise<StreamMessage> {
    this.send({ action: 'subscribe', channels, filters })
    return this.next('subscribed')
  }

  close(): void {
    this.ws.terminate()
  }
}

export const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8')
  return data instanceof ArrayBuffer ? Buffer.from(new Uint8Array(data)).toString('utf8') : data.toString('utf8')
}
