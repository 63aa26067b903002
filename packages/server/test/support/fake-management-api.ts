import { createServer, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface RecordedPost {
  connectionId: string
  body: { type: string; data: Record<string, unknown> }
}

/**
 * Imitates the API Gateway Management API (realtime.md R45): `POST <prefix>/@connections/{id}` → 200 and recorded;
 * gone ids → 410 `GoneException`; optional fixed status or delay.
 */
export class FakeManagementApi {
  readonly posts: RecordedPost[] = []
  readonly gone = new Set<string>()
  delayMs = 0
  failWith: number | undefined
  inFlight = 0
  /** Every call received, gone and failed ones included. */
  attempts = 0
  peakInFlight = 0
  private server: Server | undefined
  private readonly waiters = new Set<() => void>()

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        this.attempts++
        this.inFlight++
        this.peakInFlight = Math.max(this.peakInFlight, this.inFlight)
        setTimeout(() => {
          this.inFlight--
          this.answer(req.method ?? '', req.url ?? '', Buffer.concat(chunks).toString('utf8'), res)
        }, this.delayMs)
      })
    })
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve))
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/production`
  }

  private answer(method: string, url: string, body: string, res: ServerResponse): void {
    const match = /^\/production\/@connections\/([^/?]+)$/.exec(url)
    if (method !== 'POST' || match === null) {
      res.writeHead(404).end()
      return
    }
    const connectionId = decodeURIComponent(match[1] as string)
    if (this.gone.has(connectionId)) {
      res
        .writeHead(410, { 'content-type': 'application/json', 'x-amzn-ErrorType': 'GoneException' })
        .end('{"message":"Gone"}')
      return
    }
    if (this.failWith !== undefined) {
      res.writeHead(this.failWith, { 'content-type': 'application/json' }).end('{"message":"nope"}')
      return
    }
    this.posts.push({ connectionId, body: JSON.parse(body) as RecordedPost['body'] })
    res.writeHead(200).end()
    this.waiters.forEach((w) => w())
  }

  to(connectionId: string): RecordedPost['body'][] {
    return this.posts.filter((p) => p.connectionId === connectionId).map((p) => p.body)
  }

  /** Waits until `count` posts reached `connectionId`. */
  async waitFor(connectionId: string, count: number, timeoutMs = 3000): Promise<RecordedPost['body'][]> {
    const deadline = Date.now() + timeoutMs
    while (this.to(connectionId).length < count) {
      if (Date.now() > deadline)
        throw new Error(`expected ${count} posts to ${connectionId}, got ${JSON.stringify(this.to(connectionId))}`)
      await new Promise<void>((resolve) => {
        const done = () => {
          this.waiters.delete(done)
          resolve()
        }
        this.waiters.add(done)
        setTimeout(done, 50)
      })
    }
    return this.to(connectionId)
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections()
    await new Promise<void>((resolve) => this.server?.close(() => resolve()))
  }
}
