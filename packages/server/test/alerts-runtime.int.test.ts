import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../src/clock.js'
import { silentLogger } from '../src/logger.js'
import { LocalWsBroadcaster } from '../src/realtime/local-ws-broadcaster.js'
import { startTestServer, type TestServer } from '../src/testing/index.js'
import { StreamClient } from './support/stream-client.js'
import { createRule, eventually, events, history, send, settle, T0 } from './alerts-helpers.js'

let srv: TestServer | undefined
afterEach(async () => {
  await srv?.close()
  srv = undefined
})

describe('alert runtime', () => {
  it('when the eval interval passes, then the server timer evaluates time-driven rules by itself', async () => {
    const clock = new ManualClock(T0)
    srv = await startTestServer({ clock, config: { alert_eval_interval_seconds: 1 } })
    const server = srv
    await createRule(server, {
      condition_type: 'heartbeat_lost',
      condition_config: { agent_id: 'agent-1', window_seconds: 30 },
    })
    await send(server, events([{ event_type: 'heartbeat' }]))
    clock.advance(31_000)
    await eventually(async () => expect(await history(server)).toHaveLength(1), 5000)
  })

  it('when a batch fires a rule, then alert.fired follows event.new and status changes (R3)', async () => {
    srv = await startTestServer({ clock: new ManualClock(T0) })
    await createRule(srv, { condition_type: 'task_failed' })
    await send(
      srv,
      events([
        { event_type: 'task_started', task_id: 't' },
        { event_type: 'task_failed', task_id: 't' },
      ]),
    )
    const types = srv.recorder!.pushes.map((p) => p.type)
    expect(types.at(-1)).toBe('alert.fired')
    expect(types.indexOf('alert.fired')).toBeGreaterThan(types.lastIndexOf('agent.status_changed'))
  })

  it('when deliveries finish, then history and delivery lines live in alerts/<fired day>.ndjson and merge after restart', async () => {
    const clock = new ManualClock(T0)
    srv = await startTestServer({ clock, webhookRetryDelaysMs: [5, 5] })
    await createRule(srv, {
      condition_type: 'task_failed',
      actions: [
        { type: 'webhook', url: 'http://127.0.0.1:1/x' },
        { type: 'email', to: 'Ops@Example.com' },
      ],
    })
    await send(srv, events([{ event_type: 'task_failed', task_id: 't' }]))
    await settle(srv)
    const file = join(srv.dataDir, 'tenants', 'dev', 'alerts', '2026-02-15.ndjson')
    expect(existsSync(file)).toBe(true)
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(lines.map((l) => Object.keys(l)[0])).toEqual(['alert_id', 'delivery'])
    const dataDir = srv.dataDir
    await srv.close({ keepData: true })
    srv = await startTestServer({ clock, dataDir })
    const [alert] = await history(srv)
    expect(alert.actions_taken).toEqual([
      expect.objectContaining({ type: 'webhook', status: 'failed', attempts: 3, http_status: null }),
      { type: 'email', to: 'ops@example.com', status: 'logged' },
    ])
  })
})

describe('alert.fired over the local stream', () => {
  it('when a rule fires, then a subscriber of the alerts channel receives the history record', async () => {
    const clock = new ManualClock(T0)
    const broadcaster = new LocalWsBroadcaster({
      clock,
      logger: silentLogger(),
      maxConnectionsPerPrincipal: 5,
      pingIntervalMs: 30_000,
      maxBufferedBytes: 1_048_576,
    })
    srv = await startTestServer({ clock, broadcaster })
    const client = await StreamClient.open(srv.wsUrl())
    try {
      await client.subscribe(['alerts'])
      await createRule(srv, { name: 'Failures', condition_type: 'task_failed' })
      await send(srv, events([{ event_type: 'task_failed', task_id: 't1' }]))
      const message = await client.next('alert.fired')
      const [alert] = await history(srv)
      expect(message.data).toEqual(alert)
    } finally {
      client.close()
    }
  })
})
