import { afterEach, describe, expect, it } from 'vitest'
import { LocalWsBroadcaster } from '../src/realtime/local-ws-broadcaster.js'
import { anEvent, ingestBody, startTestServer, type TestServer } from '../src/testing/index.js'
import { StreamClient } from './support/stream-client.js'

const servers: TestServer[] = []
const clients: StreamClient[] = []

afterEach(async () => {
  clients.splice(0).forEach((c) => c.close())
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

describe('startTestServer({ liveStream: true })', () => {
  it('when asked for the live stream, then /v1/stream is served locally and pushes ingested events', async () => {
    const srv = await startTestServer({ liveStream: true })
    servers.push(srv)
    expect(srv.broadcaster).toBeInstanceOf(LocalWsBroadcaster)
    expect(srv.recorder).toBeUndefined()
    const client = await StreamClient.open(srv.wsUrl())
    clients.push(client)
    await client.subscribe(['events'])
    const res = await srv.post('/v1/ingest', ingestBody([anEvent({ event_type: 'task_started', task_id: 't-live' })]))
    expect(res.status).toBe(200)
    const pushed = await client.next('event.new')
    expect(pushed.data['task_id']).toBe('t-live')
  })

  it('when not asked, then the default stays the RecordingBroadcaster', async () => {
    const srv = await startTestServer()
    servers.push(srv)
    expect(srv.recorder).toBeDefined()
  })
})
