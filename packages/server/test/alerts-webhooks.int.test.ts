import { createHmac } from 'node:crypto'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../src/clock.js'
import { startTestServer, type TestServer } from '../src/testing/index.js'
import { call, createRule, events, history, send, settle, T0 } from './alerts-helpers.js'

interface Received {
  headers: IncomingHttpHeaders
  body: string
}

/** A local webhook receiver answering each request with the next planned status ('hang' never answers). */
class Receiver {
  readonly received: Received[] = []
  private readonly server: Server
  url = ''
  constructor(private readonly plan: (n: number) => number | 'hang') {
    this.server = createServer((req, res) => {
      let body = ''
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')))
      req.on('end', () => {
        this.received.push({ headers: req.headers, body })
        const status = this.plan(this.received.length)
        if (status !== 'hang') res.writeHead(status).end('{}')
      })
    })
  }
  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`
    return this
  }
  async close(): Promise<void> {
    this.server.closeAllConnections()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }
}

let srv: TestServer
let receiver: Receiver | undefined
beforeEach(async () => {
  srv = await startTestServer({
    clock: new ManualClock(T0),
    webhookRetryDelaysMs: [20, 40],
    config: { webhook_timeout_ms: 300 },
  })
})
afterEach(async () => {
  await srv.close()
  await receiver?.close()
  receiver = undefined
})

async function ruleWithWebhook(plan: (n: number) => number | 'hang', action: Record<string, unknown> = {}) {
  receiver = await new Receiver(plan).start()
  return createRule(srv, {
    name: 'Failures',
    condition_type: 'task_failed',
    actions: [{ type: 'webhook', url: receiver.url, ...action }],
  })
}

const fail = (taskId = 't1') => send(srv, events([{ event_type: 'task_failed', task_id: taskId }]))

describe('webhook delivery (E109)', () => {
  it('when a rule with a secret fires, then the POST is signed over "<timestamp>.<raw body>" and recorded sent', async () => {
    const rule = await ruleWithWebhook(() => 200, { secret: 'whsec-1' })
    await fail()
    await settle(srv)
    const [request] = receiver!.received
    const timestamp = request!.headers['x-hiveboard-timestamp'] as string
    const expected = createHmac('sha256', 'whsec-1').update(`${timestamp}.${request!.body}`).digest('hex')
    expect(request!.headers['x-hiveboard-signature']).toBe(`sha256=${expected}`)
    expect(timestamp).toBe(String(T0 / 1000))
    expect(request!.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'HiveBoard-Webhook/1',
      'x-hiveboard-event': 'alert.fired',
    })
    const body = JSON.parse(request!.body)
    const [alert] = await history(srv)
    expect(request!.headers['x-hiveboard-delivery']).toBe(alert.alert_id)
    expect(body).toMatchObject({
      type: 'alert.fired',
      test: false,
      alert_id: alert.alert_id,
      rule_name: 'Failures',
      tenant_id: 'dev',
      rule: { rule_id: rule['rule_id'], name: 'Failures', condition_type: 'task_failed' },
      alert: { alert_id: alert.alert_id, related_task_id: 't1' },
    })
    expect(alert.actions_taken).toEqual([
      {
        type: 'webhook',
        url: receiver!.url,
        format: 'json',
        status: 'sent',
        attempts: 1,
        http_status: 200,
        error: null,
      },
    ])
  })

  it('when the receiver answers 500 twice, then it retries with backoff and the third attempt succeeds', async () => {
    await ruleWithWebhook((n) => (n < 3 ? 500 : 204))
    await fail()
    await settle(srv)
    expect(receiver!.received).toHaveLength(3)
    expect((await history(srv))[0].actions_taken[0]).toMatchObject({ status: 'sent', attempts: 3, http_status: 204 })
  })

  it('when every attempt fails, then it gives up after 3 and records the failure; 4xx fails at once', async () => {
    await ruleWithWebhook((n) => (n <= 3 ? 503 : 404))
    await fail('t1')
    await settle(srv)
    expect(receiver!.received).toHaveLength(3)
    expect((await history(srv))[0].actions_taken[0]).toMatchObject({
      status: 'failed',
      attempts: 3,
      http_status: 503,
      error: 'HTTP 503',
    })
    await call(srv, 'PUT', `/v1/alerts/rules/${(await call(srv, 'GET', '/v1/alerts/rules')).body.data[0].rule_id}`, {
      cooldown_seconds: 0,
    })
    ;(srv.clock as ManualClock).advance(1000)
    await fail('t2')
    await settle(srv)
    expect(receiver!.received).toHaveLength(4)
    expect((await history(srv))[0].actions_taken[0]).toMatchObject({ status: 'failed', attempts: 1, http_status: 404 })
  })

  it('when the receiver hangs, then ingest still answers promptly and the delivery times out as failed', async () => {
    await ruleWithWebhook(() => 'hang')
    const started = performance.now()
    await fail()
    expect(performance.now() - started).toBeLessThan(250) // under one webhook timeout
    expect((await history(srv))[0].actions_taken[0].status).toBe('pending')
    await settle(srv)
    expect(receiver!.received).toHaveLength(3)
    expect((await history(srv))[0].actions_taken[0]).toMatchObject({
      status: 'failed',
      attempts: 3,
      error: 'Timed out',
    })
  })

  it('when the format is slack, then the body is {text} naming the rule', async () => {
    await ruleWithWebhook(() => 200, { format: 'slack' })
    await fail()
    await settle(srv)
    const body = JSON.parse(receiver!.received[0]!.body)
    expect(Object.keys(body)).toEqual(['text'])
    expect(body.text).toContain('*Failures* (task_failed)')
    expect(body.text).toContain('task t1')
  })
})

describe('POST /v1/alerts/rules/{rule_id}/test', () => {
  it('when test-fired, then each action runs once with test:true, no history is written and cooldown is untouched', async () => {
    const rule = await ruleWithWebhook(() => 200, { secret: 'k' })
    const res = await call(srv, 'POST', `/v1/alerts/rules/${rule['rule_id']}/test`)
    expect(res.status).toBe(200)
    expect(res.body).toEqual({
      status: 'tested',
      results: [
        {
          type: 'webhook',
          url: receiver!.url,
          to: null,
          status: 'sent',
          http_status: 200,
          error: null,
          duration_ms: expect.any(Number),
        },
      ],
    })
    expect(JSON.parse(receiver!.received[0]!.body)).toMatchObject({ test: true, rule_id: rule['rule_id'] })
    expect(receiver!.received[0]!.headers['x-hiveboard-signature']).toMatch(/^sha256=[0-9a-f]{64}$/)
    expect(await history(srv)).toHaveLength(0)
    await fail()
    expect(await history(srv)).toHaveLength(1)
  })

  it('when the receiver fails, then the result is failed after one attempt; read keys get 403; unknown ids 404', async () => {
    const rule = await ruleWithWebhook(() => 500)
    const path = `/v1/alerts/rules/${rule['rule_id']}/test`
    const res = await call(srv, 'POST', path)
    expect(res.body.results[0]).toMatchObject({ status: 'failed', http_status: 500, error: 'HTTP 500' })
    expect(receiver!.received).toHaveLength(1)
    expect((await call(srv, 'POST', path, undefined, srv.keys.read)).status).toBe(403)
    expect((await call(srv, 'POST', '/v1/alerts/rules/nope/test')).status).toBe(404)
  })
})
