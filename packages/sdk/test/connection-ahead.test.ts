import { readFileSync } from 'node:fs'
import { createServer as createHttpsServer } from 'node:https'
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net'
import { createSecureContext, type TLSSocket } from 'node:tls'
import { afterEach, describe, expect, it } from 'vitest'
import { NodeHttpSender } from '../src/internal.js'
import { onChannel, turnCounter } from './helpers.js'

// Connections opened ahead of their request (README "Performance": the first connection of a process is the costliest
// piece of work of a flush, so its pieces get event-loop turns of their own). Only the cut into turns and what goes
// over the wire are tested, never how long anything takes.

const fixture = (name: string): Buffer => readFileSync(new URL(`./fixtures/${name}`, import.meta.url))
const trustTestCertificate = (): ReturnType<typeof createSecureContext> =>
  createSecureContext({ ca: fixture('tls-cert.pem') })

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

interface TlsServer {
  url: string
  /** Every TLS connection the server accepted, in order: whether it resumed a session. */
  sessionReused: boolean[]
  requests: number
}

/** An https server with the test certificate; `closeAfterReply` answers with `connection: close`. */
async function startTlsServer(closeAfterReply = false): Promise<TlsServer> {
  const state: TlsServer = { url: '', sessionReused: [], requests: 0 }
  const server = createHttpsServer({ key: fixture('tls-key.pem'), cert: fixture('tls-cert.pem') }, (req, res) => {
    req.resume()
    req.on('end', () => {
      state.requests++
      res.writeHead(200, { 'content-type': 'application/json', ...(closeAfterReply ? { connection: 'close' } : {}) })
      res.end('{"accepted":1,"rejected":0,"errors":[],"warnings":[]}')
    })
  })
  server.on('secureConnection', (socket: TLSSocket) => state.sessionReused.push(socket.isSessionReused()))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  )
  state.url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/v1/ingest`
  return state
}

function newSender(): NodeHttpSender {
  const sender = new NodeHttpSender({ secureContext: trustTestCertificate() })
  cleanups.push(() => sender.close())
  return sender
}

const post = (sender: NodeHttpSender, url: string, timeoutMs = 5_000) =>
  sender.send({
    url,
    headers: { 'content-type': 'application/json' },
    body: '{"events":[]}',
    timeoutMs,
    signal: new AbortController().signal,
  })

describe('https: connections opened ahead (README "Performance")', () => {
  it('opens TCP, then TLS on a later turn, and the request goes over that one connection', async () => {
    const server = await startTlsServer()
    const sender = newSender()
    const turns = turnCounter()
    const sockets = onChannel('net.client.socket', turns)
    const requests = onChannel('http.client.request.start', turns)
    cleanups.push(() => (sockets.off(), requests.off(), turns.stop()))

    const opening = sender.connectAhead(server.url)
    expect(opening).toBeDefined()
    expect(sender.connectAhead(server.url)).toBeUndefined() // one at a time
    await opening
    expect(await post(sender, server.url)).toMatchObject({ kind: 'response', status: 200 })

    expect(sockets.seen).toHaveLength(1) // the request used the connection opened ahead
    expect(server.sessionReused).toHaveLength(1)
    // TCP on one turn, the TLS layer and its handshake on later ones, the request after them
    expect(requests.seen[0]).toBeGreaterThanOrEqual((sockets.seen[0] as number) + 2)
    expect(sender.connectAhead(server.url)).toBeUndefined() // the kept-alive connection is there
  })

  it('resumes the TLS session of the previous connection', async () => {
    const server = await startTlsServer(true) // each connection serves one request
    const sender = newSender()
    expect(await post(sender, server.url)).toMatchObject({ kind: 'response', status: 200 })
    expect(await post(sender, server.url)).toMatchObject({ kind: 'response', status: 200 })
    expect(server.sessionReused).toEqual([false, true])
  })

  it('still verifies the certificate: an untrusted server is an error, not a response', async () => {
    const server = await startTlsServer()
    const sender = new NodeHttpSender() // Node's root certificates only
    cleanups.push(() => sender.close())
    const result = await post(sender, server.url)
    expect(result.kind).toBe('error')
    expect(server.requests).toBe(0)
  })

  it('opens nothing when the sender is closed while a connection is being opened', async () => {
    const server = await startTlsServer()
    const sender = newSender()
    const turns = turnCounter()
    const sockets = onChannel('net.client.socket', turns)
    cleanups.push(() => (sockets.off(), turns.stop()))
    const opening = sender.connectAhead(server.url)
    sender.close()
    await opening
    await new Promise((resolve) => setImmediate(resolve))
    expect(sockets.seen).toEqual([])
  })

  it('does not wait forever for a handshake the server never answers: the request times out', async () => {
    const accepted: Socket[] = []
    const silent: Server = createTcpServer((socket: Socket) => accepted.push(socket.on('error', () => undefined)))
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    cleanups.push(() => {
      for (const socket of accepted) socket.destroy()
      return new Promise((resolve) => silent.close(resolve))
    })
    const url = `https://127.0.0.1:${(silent.address() as AddressInfo).port}/v1/ingest`
    const sender = newSender()
    expect(await post(sender, url, 200)).toEqual({ kind: 'error', error: 'timeout' })
  })
})
