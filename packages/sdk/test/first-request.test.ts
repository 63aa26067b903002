import { afterEach, describe, expect, it, vi } from 'vitest'
import { HiveBoard, reset } from '../src/index.js'
import { transportHooks } from '../src/internal.js'
import type { warmHttpClient as warmHttpClientType } from '../src/transport/warm-up.js'
import { onChannel, startFakeServer, TEST_KEY, turnCounter, type FakeServer } from './helpers.js'

// The one-time costs of the first request of a process (issue #5: no event-loop block over 1 ms; README
// "Performance"). What is tested here is how the work is cut into event-loop turns, never how long it takes.

const servers: FakeServer[] = []
const clients: HiveBoard[] = []

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.shutdown({ timeoutMs: 0 })))
  await Promise.all(servers.splice(0).map((s) => s.close()))
  await reset()
})

type WarmHttpClient = typeof warmHttpClientType

/**
 * Runs `check` with a fresh warm-up module (the warm-up runs once per process), a turn counter and the sockets
 * opened meanwhile; the warm-up must open none.
 */
async function withFreshWarmUp(
  check: (warmHttpClient: WarmHttpClient, turns: { readonly turn: number }) => Promise<void>,
): Promise<void> {
  vi.resetModules()
  const { warmHttpClient } = await import('../src/transport/warm-up.js')
  const turns = turnCounter()
  const sockets = onChannel('net.client.socket', turns)
  try {
    await check(warmHttpClient, turns)
    expect(sockets.seen).toEqual([])
  } finally {
    sockets.off()
    turns.stop()
  }
}

describe('start-up warm-up (sdk.md §3.2: init does no network I/O)', () => {
  it('runs one request in memory, cut into many event-loop turns, once per process, opening no socket', async () => {
    await withFreshWarmUp(async (warmHttpClient, turns) => {
      const warmed = await warmHttpClient()
      const spent = turns.turn
      expect(warmed).toBe(true) // the in-memory request got its 200 through the SDK's own sender
      expect(spent).toBeGreaterThanOrEqual(8) // steps, request, body, reply head, reply body: each on its own turn
      expect(await warmHttpClient()).toBe(false)
    })
  })
})

describe('start-up warm-up with gzip compression', () => {
  it('also sets up zlib (on the thread pool), opening no socket', async () => {
    await withFreshWarmUp(async (warmHttpClient) => {
      expect(await warmHttpClient('http://127.0.0.1:8451', true)).toBe(true)
    })
  })
})

describe('start-up warm-up for an https: endpoint', () => {
  it('also builds a TLS context, still in memory, opening no socket', async () => {
    await withFreshWarmUp(async (warmHttpClient) => {
      expect(await warmHttpClient('https://ingest.invalid')).toBe(true)
    })
  })
})

describe('first request of a connection over node:http', () => {
  it('opens the connection on a turn of its own, before the batch is built and the request sent over it', async () => {
    const server = await startFakeServer()
    servers.push(server)
    const hb = new HiveBoard({ apiKey: TEST_KEY, endpoint: server.url, logger: false, flushIntervalMs: 60_000 })
    clients.push(hb)
    const agent = hb.agent('first-request', { heartbeatIntervalMs: 0 })
    await new Promise((resolve) => setTimeout(resolve, 20)) // past the start-up warm-up
    const turns = turnCounter()
    const sockets = onChannel('net.client.socket', turns)
    const requests = onChannel('http.client.request.start', turns)
    const batches: number[] = []
    transportHooks.onPhase = (phase) => void (phase === 'batch' && batches.push(turns.turn))
    try {
      expect(await hb.flush()).toMatchObject({ sent: 1, timedOut: false })
      expect(sockets.seen).toHaveLength(1)
      expect(requests.seen).toHaveLength(1)
      expect(batches[0]).toBeGreaterThan(sockets.seen[0] as number)
      expect(requests.seen[0]).toBeGreaterThan(batches[0] as number)
      agent.event('custom', { summary: 'second' })
      expect(await hb.flush()).toMatchObject({ sent: 1, timedOut: false })
      expect(sockets.seen).toHaveLength(1) // the kept-alive connection is reused, nothing is pre-opened again
      expect(server.requests).toHaveLength(2)
    } finally {
      delete transportHooks.onPhase
      sockets.off()
      requests.off()
      turns.stop()
    }
  })
})
