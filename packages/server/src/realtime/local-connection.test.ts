import type { WebSocket } from 'ws'
import { describe, expect, it } from 'vitest'
import type { Principal } from '../http/principal.js'
import { LocalConnection, SLOW_CONSUMER_MS } from './local-connection.js'

/** Just the socket surface LocalConnection reads: a stand-in whose buffer the test controls. */
class FakeSocket {
  readonly OPEN = 1
  readyState = 1
  bufferedAmount = 0
  readonly sent: string[] = []
  closedWith: number | undefined
  send(text: string): void {
    this.sent.push(text)
  }
  close(code: number): void {
    this.closedWith = code
  }
}

const principal: Principal = {
  kind: 'api_key',
  tenantId: 'dev',
  partition: 'live',
  keyId: 'k',
  keyType: 'live',
  userId: null,
  role: 'owner',
  limitKey: 'key:k',
}

function setup() {
  const ws = new FakeSocket()
  let mono = 0
  const counts = { dropped: 0, lagged: 0 }
  const conn = new LocalConnection(ws as unknown as WebSocket, principal, 'hb_live_x', {
    maxBufferedBytes: 1000,
    now: () => Date.parse('2026-02-15T10:00:00Z'),
    monotonicNow: () => mono,
    onDropped: () => counts.dropped++,
    onLagged: () => counts.lagged++,
  })
  return { ws, conn, counts, advance: (ms: number) => (mono += ms) }
}

describe('LocalConnection send buffer (realtime.md R23)', () => {
  it('when the buffer is over the limit, then pushes are dropped until it drains below half, then one lagged', () => {
    const { ws, conn, counts } = setup()
    conn.push('a', 'events')
    ws.bufferedAmount = 1500
    conn.push('b', 'events')
    conn.push('c', 'agents')
    ws.bufferedAmount = 700
    conn.push('d', 'events')
    expect(ws.sent).toEqual(['a'])
    ws.bufferedAmount = 400
    conn.checkBuffer()
    conn.push('e', 'events')
    expect(ws.sent[0]).toBe('a')
    expect(JSON.parse(ws.sent[1] as string)).toEqual({
      type: 'lagged',
      data: { dropped: 3, channels: ['events', 'agents'], since: '2026-02-15T10:00:00.000Z' },
    })
    expect(ws.sent[2]).toBe('e')
    expect(counts).toEqual({ dropped: 3, lagged: 1 })
  })

  it('when the buffer stays over the limit for 60 s, then the socket is closed 4004', () => {
    const { ws, conn, advance } = setup()
    ws.bufferedAmount = 5000
    conn.push('x', 'events')
    advance(SLOW_CONSUMER_MS - 1)
    conn.checkBuffer()
    expect(ws.closedWith).toBeUndefined()
    advance(1)
    conn.checkBuffer()
    expect(ws.closedWith).toBe(4004)
  })

  it('when replies are sent while lagging, then they are never dropped', () => {
    const { ws, conn } = setup()
    ws.bufferedAmount = 5000
    conn.push('x', 'events')
    conn.reply({ type: 'pong', data: {} })
    expect(ws.sent).toEqual(['{"type":"pong","data":{}}'])
  })
})
