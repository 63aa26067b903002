import { request } from 'node:http'
import { Duplex } from 'node:stream'

// TRICKY: the first `http.request()` of a process costs several ms of main-thread CPU (V8 compiles Node's HTTP client,
// stream and parser code on first use), all inside the first flush's first event-loop turn. Running one request over
// an in-memory socket, one turn after the client is built, moves that one-time cost to start-up and sends nothing:
// init() still does no network I/O (sdk.md §3.2). Measured in README "Performance".

const REPLY = 'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}'

// NOTE: one warm-up per process is enough; compiled code is shared by every client (a second ESM/CJS copy warms once
// more, which is harmless).
let warmed = false

/**
 * Schedules one in-memory request/response through `node:http`, once per process. Never throws, never touches the
 * network. Resolves true when the response was read (false on failure, or when an earlier call already warmed up).
 */
export function warmHttpClient(): Promise<boolean> {
  if (warmed) return Promise.resolve(false)
  warmed = true
  return new Promise((resolve) => {
    const immediate = setImmediate(() => {
      try {
        let sent = ''
        let replied = false
        const socket = new Duplex({
          read() {},
          write(chunk: Buffer | string, _encoding, callback) {
            sent += String(chunk)
            // the client never ends its socket: answer once the whole request (headers, then the 2-byte body) is in
            if (!replied && sent.endsWith('\r\n\r\n{}')) {
              replied = true
              this.push(REPLY)
              this.push(null)
            }
            callback()
          },
        })
        const req = request('http://warm-up.invalid/v1/ingest', {
          method: 'POST',
          // TRICKY: no `agent` key at all: with `agent: false` Node builds an Agent that ignores createConnection and
          // resolves the host name (a DNS query). With createConnection alone, nothing leaves the process.
          createConnection: () => socket,
          headers: { 'content-type': 'application/json', 'content-length': '2' },
        })
        req.on('response', (res) => {
          res.on('data', () => undefined)
          res.on('end', () => resolve(true))
          res.on('error', () => resolve(false))
        })
        req.on('error', () => resolve(false))
        req.end('{}')
      } catch {
        resolve(false) // a warm-up failure only means the first flush pays the cost itself
      }
    })
    immediate.unref()
  })
}
