import { systemClock } from '@hiveboard/server'
import { startTestServer, type TestServer } from '@hiveboard/server/testing'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { currentTask, init, reset, shutdown, toolPayload, type HiveBoard } from '../src/index.js'
import { captureLogger } from './helpers.js'

let server: TestServer
const responses: Array<{ status: number; body: any; sent: any }> = []

const recordingFetch = async (url: string, requestInit: RequestInit): Promise<Response> => {
  const response = await fetch(url, requestInit)
  const body: unknown = await response.clone().json()
  responses.push({ status: response.status, body, sent: JSON.parse(requestInit.body as string) })
  return response
}

/** `sender: 'default'` leaves `fetch` out, so the client sends with its default node:http sender. */
function client(key = server.keys.live, sender: 'recording fetch' | 'default' = 'recording fetch'): HiveBoard {
  const fetchOption = sender === 'default' ? {} : { fetch: recordingFetch }
  return init({ apiKey: key, endpoint: server.url, ...fetchOption, logger: captureLogger().logger })
}

async function get(path: string, key?: string): Promise<any> {
  const res = await server.get(path, key)
  expect(res.status).toBe(200)
  return res.json()
}

function sentEvents(): any[] {
  return responses.flatMap((r) => r.sent.events)
}

beforeAll(async () => {
  server = await startTestServer({ clock: systemClock })
})
afterAll(async () => {
  await server.close()
})
afterEach(async () => {
  responses.length = 0
  await reset()
})

describe('against a real HiveBoard server', () => {
  it('every method is accepted with 200 and no recommends warnings', async () => {
    const hb = client()
    const agent = hb.agent('all-methods', { type: 'support', version: '1.5.0' })
    await agent.task('t-all', { project: 'sdk-e2e', type: 'triage' }, async (task) => {
      const classify = agent.track('classify', (x: number) => Promise.resolve(x * 2))
      await classify(2)
      task.llmCall('draft', 'gpt-4o', { tokensIn: 1200, tokensOut: 350, cost: 0.008, durationMs: 2100 })
      task.plan('Resolve', ['Classify', 'Reply'])
      task.planStep(0, 'completed', 'Classified', { turns: 1 })
      task.escalate('Refund above limit', { assignedTo: 'lead' })
      task.requestApproval('Approve credit', { approver: 'lead' })
      task.approvalReceived('Approved', { approvedBy: 'lead' })
      task.retry('Retrying CRM', { attempt: 2, backoffSeconds: 1 })
      task.event('custom', { kind: 'config_snapshot', summary: 'cfg', data: { a: 1 } })
      agent.trackContext('tool', (ctx) => ctx.setPayload(toolPayload({ args: { q: 1 }, result: 'ok' })))
      const handle = agent.startAction('manual')
      handle.fail(new TypeError('bad'))
    })
    agent.reportIssue('CRM 403', 'high', { issueId: 'crm-403', category: 'permissions' })
    agent.resolveIssue('CRM fixed', { issueId: 'crm-403' })
    agent.queueSnapshot(3, { oldestAgeSeconds: 120 })
    agent.todo('todo-1', 'created', 'Re-run', { priority: 'high' })
    agent.scheduled([{ id: 's1', name: 'Nightly', next_run: '2026-12-01T15:00:00Z', interval: 'daily' }])
    agent.event('heartbeat')
    const result = await hb.flush()
    expect(result).toMatchObject({ rejected: 0, dropped: 0, pending: 0, timedOut: false })
    expect(responses.length).toBeGreaterThan(0)
    for (const r of responses) {
      expect(r.status).toBe(200)
      const recommends = (r.body.warnings as any[]).filter((w) => String(w.message).includes('recommends'))
      expect(recommends).toEqual([])
    }
    const types = sentEvents().map((e) => e.event_type)
    expect(types).toContain('agent_registered')
    expect(types).toContain('approval_received')
    expect(hb.stats().sent).toBe(sentEvents().length)
  })

  it.each(['recording fetch', 'default'] as const)(
    'derives agent status, timeline, nested actions and cost (%s sender)',
    async (sender) => {
      const hb = client(server.keys.live, sender)
      const id = sender === 'default' ? '-http' : ''
      const agent = hb.agent(`deriver${id}`, { type: 'support' })
      const inner = agent.track('inner', () => 'x')
      const outer = agent.track('outer', async () => {
        await Promise.resolve()
        return inner()
      })
      let status: string | undefined
      await agent.task(`t-derive${id}`, { project: 'sdk-e2e' }, async (task) => {
        await outer()
        task.llmCall('reason', 'claude-sonnet-4-20250514', { tokensIn: 1000, tokensOut: 100, cost: 0.25 })
        task.llmCall('reason2', 'gpt-4o', { cost: 0.5 })
        await hb.flush()
        status = (await get(`/v1/agents/deriver${id}`)).derived_status
      })
      await hb.flush()
      expect(status).toBe('processing')
      const agentRecord = await get(`/v1/agents/deriver${id}`)
      expect(agentRecord.derived_status).toBe('idle')
      expect(agentRecord.agent_type).toBe('support')
      expect(agentRecord.sdk_version).toMatch(/^loophive-/)
      const timeline = await get(`/v1/tasks/t-derive${id}/timeline`)
      expect(timeline.derived_status).toBe('completed')
      expect(timeline.total_cost).toBeCloseTo(0.75, 6)
      expect(timeline.llm_call_count).toBe(2)
      expect(timeline.action_tree).toHaveLength(1)
      expect(timeline.action_tree[0].name).toBe('outer')
      expect(timeline.action_tree[0].children[0].name).toBe('inner')
      expect(timeline.action_tree[0].children[0].parent_action_id).toBe(timeline.action_tree[0].action_id)
    },
  )

  it('a failing task is failed on the server and the error is re-thrown', async () => {
    const hb = client()
    const agent = hb.agent('failer')
    const boom = new RangeError('too far')
    await expect(
      agent.task('t-fail', async () => {
        await Promise.resolve()
        throw boom
      }),
    ).rejects.toBe(boom)
    await hb.flush()
    const timeline = await get('/v1/tasks/t-fail/timeline')
    expect(timeline.derived_status).toBe('failed')
    const failed = timeline.events.find((e: any) => e.event_type === 'task_failed')
    expect(failed.severity).toBe('error')
    expect(failed.payload).toMatchObject({
      summary: 'Task t-fail failed',
      exception_type: 'RangeError',
      exception_message: 'too far',
    })
    expect((await get('/v1/agents/failer')).derived_status).toBe('error')
  })

  it('waiting approval status, then processing after approval', async () => {
    const hb = client()
    const agent = hb.agent('approver')
    const task = agent.startTask('t-approve')
    task.requestApproval('Need OK', { approver: 'boss' })
    await hb.flush()
    expect((await get('/v1/agents/approver')).derived_status).toBe('waiting_approval')
    task.approvalReceived('OK', { approvedBy: 'boss' })
    task.complete()
    await hb.flush()
    expect((await get('/v1/agents/approver')).derived_status).toBe('idle')
  })

  it('hb_test_ data is hidden from live reads', async () => {
    const hb = client(server.keys.test)
    hb.agent('test-only-agent')
    await hb.flush()
    expect((await server.get('/v1/agents/test-only-agent')).status).toBe(404)
    expect((await server.get('/v1/agents/test-only-agent', server.keys.test)).status).toBe(200)
  })

  it('auto-creates projects and stores severities the server would derive', async () => {
    const hb = client()
    const agent = hb.agent('sev')
    agent.reportIssue('medium', 'medium')
    agent.todo('x', 'failed', 'todo failed')
    agent.task('t-proj', { project: 'auto-created-proj' }, (task) =>
      task.planStep(0, 'failed', 'nope', { totalSteps: 1 }),
    )
    await hb.flush()
    const warnings = responses.flatMap((r) => r.body.warnings as any[])
    expect(warnings.some((w) => w.warning === 'project_auto_created' || w.code === 'project_auto_created')).toBe(true)
    const page = await get('/v1/events?agent_id=sev&limit=50')
    const bySummary = new Map<string, any>(page.data.map((e: any) => [e.payload?.summary, e]))
    expect(bySummary.get('medium').severity).toBe('warn')
    expect(bySummary.get('todo failed').severity).toBe('warn')
    expect(bySummary.get('Step 0 failed: nope').severity).toBe('error')
    for (const e of sentEvents()) {
      const stored = page.data.find((s: any) => s.event_id === e.event_id)
      if (stored !== undefined) expect(stored.severity).toBe(e.severity)
    }
  })

  it('concurrent tasks never see each other (3 tasks, await, tracked action)', async () => {
    const hb = client()
    const agent = hb.agent('concurrent')
    const act = agent.track('step', () => currentTask(agent)?.id)
    const seen = await Promise.all(
      ['c1', 'c2', 'c3'].map((id, i) =>
        agent.task(id, async () => {
          await new Promise((r) => setTimeout(r, 10 * (3 - i)))
          return act()
        }),
      ),
    )
    expect(seen).toEqual(['c1', 'c2', 'c3'])
    await shutdown()
    const actions = sentEvents().filter((e) => e.event_type === 'action_started')
    expect(actions.map((e) => e.task_id).sort()).toEqual(['c1', 'c2', 'c3'])
    const ids = new Set(sentEvents().map((e) => e.event_id))
    expect(ids.size).toBe(sentEvents().length)
  })

  it('heartbeats with a payload reach the server and keep the agent fresh', async () => {
    const hb = client()
    hb.agent('beater', {
      heartbeatIntervalMs: 100,
      heartbeatPayload: () => ({ kind: 'heartbeat_status', summary: 'alive', data: { jobs: 1 } }),
      queueProvider: () => ({ depth: 2 }),
    })
    await new Promise((r) => setTimeout(r, 150))
    await hb.flush()
    const agent = await get('/v1/agents/beater')
    expect(agent.last_heartbeat).not.toBeNull()
    expect(agent.heartbeat_health).toBe('fresh')
    expect(agent.derived_status).toBe('idle')
    const kinds = sentEvents().map((e) => e.payload?.kind ?? e.event_type)
    expect(kinds).toEqual(expect.arrayContaining(['heartbeat_status', 'queue_snapshot']))
    for (const r of responses) expect(r.status).toBe(200)
  })
})
