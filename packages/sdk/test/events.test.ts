import { readFileSync, writeFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { currentActionId, reset } from '../src/index.js'
import { normalize, stubClient } from './stub.js'

const FIXTURE = new URL('./fixtures/parity.json', import.meta.url)

/** The reference call script of the parity fixture (sdk.md §3.8, §8). */
async function referenceScript() {
  const s = stubClient({ flushIntervalMs: 60_000 })
  const agent = s.hb.agent('support-triage', { type: 'support', version: '1.5.0', heartbeatIntervalMs: 0 })
  const classify = agent.track('classify_ticket', function classifyTicket(n: number) {
    return n + 1
  })
  await agent.task(
    'ticket-4812',
    { project: 'customer-support', type: 'ticket_triage', taskRunId: 'run-1' },
    async (task) => {
      classify(1)
      await agent.trackContext('lookup', async (ctx) => {
        await Promise.resolve()
        task.llmCall('draft_reply', 'claude-sonnet-4-20250514', {
          tokensIn: 1200,
          tokensOut: 350,
          cost: 0.008,
          durationMs: 2100,
        })
        ctx.setPayload({ rows: 2 })
      })
      task.llmCall('quick_call', 'gpt-4')
      task.llmCall('n', 'm', { cost: 0.5, tokensIn: 10 })
      task.plan('Resolve billing ticket', ['Classify', 'Look up account', 'Reply'])
      task.planStep(0, 'completed', 'Classified as billing', { turns: 1 })
      task.planStep(1, 'failed', 'CRM down', { tokens: 40 })
      task.escalate('Refund above limit', { assignedTo: 'support-lead' })
      task.escalate('No data')
      task.requestApproval('Approve $120 credit', { approver: 'support-lead' })
      task.approvalReceived('Approved', { approvedBy: 'support-lead' })
      task.retry('Retry CRM', { attempt: 2, backoffSeconds: 1.5, parentEventId: 'evt-parent' })
      task.event('custom', { kind: 'config_snapshot', data: { nested: null } })
      const handle = agent.startAction('manual_tool')
      handle.fail(new TypeError('bad input'), { code: 7 })
    },
  )
  agent.reportIssue('CRM API returns 403', 'high', { issueId: 'crm-403', category: 'permissions' })
  agent.reportIssue('Slow', 'medium')
  agent.resolveIssue('CRM fixed', { issueId: 'crm-403' })
  agent.queueSnapshot(3, { oldestAgeSeconds: 120 })
  agent.queueSnapshot(0)
  agent.todo('todo-1', 'created', 'Re-run import', { priority: 'high', source: 'agent_decision' })
  agent.todo('todo-1', 'failed', 'Import failed again')
  agent.scheduled([
    { id: 'a', next_run: '2026-12-01T16:00:00Z' },
    { id: 'b', next_run: '2026-12-01T15:00:00Z' },
  ])
  agent.scheduled([{ id: 'c', next_run: 'tomorrow' }, { id: 'd' }])
  const manual = agent.task('manual-1', { correlationId: 'corr-9' })
  manual.setPayload({ note: 'stored' })
  manual.complete({ status: 'partial' })
  agent.startTask('manual-2').fail('plain string')
  await s.hb.shutdown()
  return s
}

afterEach(async () => {
  await reset()
})

describe('events (parity fixture)', () => {
  it('matches the checked-in parity fixture', async () => {
    const s = await referenceScript()
    const events = normalize(s.events())
    if (process.env['UPDATE_PARITY'] === '1') writeFileSync(FIXTURE, JSON.stringify(events, null, 2) + '\n')
    const fixture = JSON.parse(readFileSync(FIXTURE, 'utf8')) as unknown
    expect(events).toEqual(fixture)
    expect(s.bodies[0]?.envelope).toEqual({
      agent_id: 'support-triage',
      agent_type: 'support',
      agent_version: '1.5.0',
      framework: 'custom',
      runtime: `node-${process.versions.node}`,
      sdk_version: expect.stringMatching(/^loophive-\d/),
      environment: 'production',
      group: 'default',
    })
  })

  it('never sends agent_id, agent_type, tenant_id or received_at, and always a severity', async () => {
    const s = await referenceScript()
    for (const e of s.events()) {
      for (const k of ['agent_id', 'agent_type', 'tenant_id', 'received_at']) expect(e).not.toHaveProperty(k)
      expect(typeof e['severity']).toBe('string')
      for (const v of Object.values(e)) expect(v).not.toBeNull()
    }
  })

  it('task.llmCall copies the current action id; agent methods carry no task fields', async () => {
    const s = stubClient()
    const agent = s.hb.agent('a1', { heartbeatIntervalMs: 0 })
    let actionId: string | undefined
    agent.task('t1', (task) =>
      agent.trackContext('x', () => {
        actionId = currentActionId()
        task.llmCall('n', 'm')
        agent.llmCall('n2', 'm')
        task.reportIssue('issue', 'low')
      }),
    )
    await s.hb.shutdown()
    const llm = s.events().filter((e) => (e['payload'] as any)?.kind === 'llm_call')
    expect(llm[0]).toMatchObject({ action_id: actionId, task_id: 't1' })
    expect(llm[1]).not.toHaveProperty('task_id')
    expect(llm[1]).not.toHaveProperty('action_id')
    const issue = s.events().find((e) => (e['payload'] as any)?.kind === 'issue')
    expect(issue).not.toHaveProperty('task_id')
  })

  it('summary over 512 code points is truncated on a copy with a warning', async () => {
    const s = stubClient()
    const agent = s.hb.agent('a2', { heartbeatIntervalMs: 0 })
    const payload = { summary: '😀'.repeat(600) }
    agent.event('custom', payload)
    await s.hb.shutdown()
    const sent = s.events().at(-1)!['payload'] as { summary: string }
    expect([...sent.summary]).toHaveLength(512)
    expect(payload.summary).toHaveLength(1200)
    expect(s.log.text('warn')).toContain('summary')
  })

  it('a payload over 32 KB is sent with a warning', async () => {
    const s = stubClient()
    const agent = s.hb.agent('big', { heartbeatIntervalMs: 0 })
    agent.event('custom', { summary: 'big', data: { blob: 'é'.repeat(20_000) } })
    await s.hb.shutdown()
    expect(s.events()).toHaveLength(2)
    expect(s.log.text('warn')).toContain('payload over 32768 bytes')
  })

  it('unknown types are sent unchanged with one warning per type; severity given is kept', async () => {
    const s = stubClient()
    const agent = s.hb.agent('a3', { heartbeatIntervalMs: 0 })
    agent.event('scored')
    agent.event('scored')
    agent.event('custom', { kind: 'issue', data: { severity: 'high' } }, { severity: 'debug', parentEventId: 'p1' })
    await s.hb.shutdown()
    const events = s.events().slice(1)
    expect(events.map((e) => e['event_type'])).toEqual(['scored', 'scored', 'custom'])
    expect(events[2]).toMatchObject({ severity: 'debug', parent_event_id: 'p1' })
    expect(s.log.lines.filter((l) => l.message.includes("unknown event_type 'scored'"))).toHaveLength(1)
  })

  it('repeat agent() returns the same object and registers once; metadata changes later envelopes', async () => {
    const s = stubClient()
    const a = s.hb.agent('a4', { heartbeatIntervalMs: 0 })
    const b = s.hb.agent('a4', { version: '2.0.0' })
    expect(b).toBe(a)
    a.event('custom', { summary: 'after' })
    await s.hb.shutdown()
    expect(s.events().filter((e) => e['event_type'] === 'agent_registered')).toHaveLength(1)
    expect(s.bodies.at(-1)!.envelope['agent_version']).toBe('2.0.0')
    expect(s.bodies[0]!.envelope['agent_version']).toBeNull()
  })
})
