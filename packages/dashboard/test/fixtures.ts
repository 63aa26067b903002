/**
 * Known dashboard data, sent through the `loophive` SDK (D73) to a real test server.
 *
 * History needs the past: the SDK stamps `timestamp` with `Date.now()` and measures durations with
 * `performance.now()`, so `at(ms, fn)` sets both to `ms` while `fn` makes its synchronous SDK calls, then restores
 * them before anything else runs (the server in this process only runs between awaits, so it never sees the shift).
 * Everything on the wire is the SDK's own output.
 */
import { randomUUID } from 'node:crypto'
import { HiveBoard, type Agent, type Task } from 'loophive'

export const XSS_AGENT = '<script>alert(1)</script><img src=x onerror="window.__pwned=1">'
export const XSS_ISSUE = '<img src=x onerror="window.__pwned=2">'

export interface Poster {
  url: string
  keys: { live: string }
  post(path: string, body: unknown, key?: string): Promise<Response>
}

/** Runs `fn` with the agent process's wall clock and monotonic clock at `ms` (synchronous SDK calls only). */
export function at<T>(ms: number, fn: () => T): T {
  const realNow = Date.now
  // An own property shadows Performance.prototype.now; deleting it restores the real one.
  Date.now = () => ms
  performance.now = () => ms
  try {
    return fn()
  } finally {
    Date.now = realNow
    delete (performance as { now?: unknown }).now
  }
}

/**
 * `at(Date.now(), fn)`: for calls on fixture handles later on. A handle started under `at()` measures its duration
 * against the shifted monotonic clock, so it must end under it too.
 */
export function atNow<T>(fn: () => T): T {
  return at(Date.now(), fn)
}

export function sdkClient(srv: Poster): HiveBoard {
  return new HiveBoard({ apiKey: srv.keys.live, endpoint: srv.url, logger: false, flushIntervalMs: 100 })
}

/** Sends everything queued and fails the test if the server refused or dropped anything. */
export async function send(hb: HiveBoard): Promise<void> {
  const r = await hb.flush({ timeoutMs: 10_000 })
  if (r.rejected > 0 || r.dropped > 0 || r.pending > 0 || r.timedOut) {
    throw new Error(`SDK flush: ${JSON.stringify(r)} (${hb.stats().lastError ?? 'no error'})`)
  }
}

/** An agent with automatic heartbeats off: the fixture decides when it beat. */
export function agentAt(
  hb: HiveBoard,
  ms: number,
  id: string,
  options: { stuckThresholdS?: number; type?: string; version?: string } = {},
): Agent {
  return at(ms, () =>
    hb.agent(id, {
      type: options.type ?? 'worker',
      version: options.version ?? '1.2.0',
      heartbeatIntervalMs: 0,
      ...(options.stuckThresholdS === undefined ? {} : { stuckThresholdS: options.stuckThresholdS }),
    }),
  )
}

export function beat(agent: Agent, ms: number, summary?: string): void {
  at(ms, () => agent.event('heartbeat', summary === undefined ? null : { summary }))
}

class ConnectionError extends Error {}

export interface Fleet {
  hb: HiveBoard
  lead: Agent
  scout: Agent
  support: Agent
  markup: Agent
  etl: Agent
  billing: Agent
  /** lead-qualifier's running task. */
  lead2: Task
  close(): Promise<void>
}

/**
 * Six agents, one per status (D73): lead-qualifier processing (a completed task with plan, action and LLM call,
 * and a running one), scout stuck (10 s threshold, last beat 60 s ago), support-bot waiting for approval (a failed
 * action, retry and escalation; pipeline data), billing-sync in error (a failed task, an LLM call without cost, so
 * estimated), nightly-etl idle (redeployed from v1.1.0 to v1.2.0), and an id full of markup reporting an issue with markup in its summary.
 */
export async function seed(srv: Poster, now = Date.now()): Promise<Fleet> {
  const m = (min: number) => now - min * 60_000
  const hb = sdkClient(srv)

  const lead = agentAt(hb, m(20), 'lead-qualifier')
  const t1 = at(m(9), () => lead.startTask('task-lead-1', { type: 'lead_scoring' }))
  at(m(9) + 100, () => t1.plan('Process lead #1', ['Score lead', 'Notify sales']))
  const score = at(m(9) + 1000, () => t1.run(() => lead.startAction('score_lead')))
  at(m(9) + 1500, () =>
    t1.run(() =>
      score.run(() =>
        t1.llmCall('score', 'gpt-4o-2024-08-06', {
          tokensIn: 1500,
          tokensOut: 300,
          cost: 0.0123,
          durationMs: 800,
          promptPreview: '{"lead":"Acme"}',
          responsePreview: 'score: 82',
        }),
      ),
    ),
  )
  at(m(9) + 3000, () => score.complete())
  at(m(9) + 3100, () => t1.planStep(0, 'completed', 'Score lead done'))
  at(m(9) + 3200, () => t1.planStep(1, 'completed', 'Notify done'))
  at(m(9) + 90_000, () => t1.complete())
  const lead2 = at(m(1), () => lead.startTask('task-lead-2', { type: 'lead_scoring' }))
  beat(lead, now - 3000, 'Scoring lead #2')

  const scout = agentAt(hb, m(15), 'scout', { stuckThresholdS: 10 })
  at(m(3), () => scout.startTask('task-scout-1', { type: 'crawl' }))
  beat(scout, now - 60_000)

  const support = agentAt(hb, m(30), 'support-bot')
  const sup1 = at(m(6), () => support.startTask('task-sup-1', { type: 'ticket' }))
  const crm = at(m(6) + 500, () => sup1.run(() => support.startAction('fetch_crm')))
  at(m(6) + 1500, () => crm.fail(new ConnectionError('CRM timeout')))
  at(m(6) + 2000, () => sup1.retry('Retrying fetch_crm', { attempt: 2 }))
  at(m(6) + 3000, () => sup1.escalate('Escalated', { assignedTo: 'ops', reason: 'CRM down' }))
  const sup2 = at(m(2), () => support.startTask('task-sup-2', { type: 'refund' }))
  at(m(2) + 1000, () => sup2.requestApproval('Refund $120', { approver: 'finance' }))
  pipelineData(support, now)
  beat(support, now - 2000)

  const billing = agentAt(hb, m(40), 'billing-sync', { type: 'sync' })
  const bill: Task = at(m(12), () => billing.startTask('task-bill-1', { type: 'invoice_sync' }))
  at(m(12) + 2000, () => bill.llmCall('summarise', 'gpt-4o-mini', { tokensIn: 2000, tokensOut: 500, durationMs: 600 }))
  at(m(12) + 4000, () => bill.fail(new ConnectionError('Ledger API unreachable')))
  beat(billing, now - 4000)

  // nightly-etl v1.1.0 ran one 1-minute export; a new process (another client) deployed v1.2.0, which ran a
  // 30-second one (D30 deploys: before/after the version change).
  const oldEtl = agentAt(hb, m(50), 'nightly-etl', { type: 'etl', version: '1.1.0' })
  const e1 = at(m(45), () => oldEtl.startTask('task-etl-1', { type: 'export' }))
  at(m(44), () => e1.complete())
  await send(hb)
  const deployed = sdkClient(srv)
  const etl = agentAt(deployed, m(30), 'nightly-etl', { type: 'etl', version: '1.2.0' })
  const e2 = at(m(20), () => etl.startTask('task-etl-after', { type: 'export' }))
  at(m(20) + 30_000, () => e2.complete())
  beat(etl, now - 5000)
  await send(deployed)

  const markup = agentAt(hb, m(5), XSS_AGENT)
  at(m(4), () => markup.reportIssue(XSS_ISSUE, 'high', { occurrenceCount: 3 }))
  beat(markup, now - 1000)

  await send(hb)
  return {
    hb,
    lead,
    scout,
    support,
    markup,
    etl,
    billing,
    lead2,
    close: async () => {
      await Promise.all([hb.shutdown({ timeoutMs: 5000 }), deployed.shutdown({ timeoutMs: 5000 })])
    },
  }
}

/** support-bot's pipeline (D29): 8 queued (oldest 7 min), an overdue TODO, a recurring issue, one schedule. */
function pipelineData(support: Agent, now: number): void {
  at(now - 2500, () =>
    support.queueSnapshot(8, {
      oldestAgeSeconds: 420,
      items: [
        { id: 'b-1', priority: 'high', source: 'email', summary: 'Refund #7', queued_at: iso(now - 420_000) },
        { id: 'b-2', priority: 'normal', source: 'chat', summary: 'Address change', queued_at: iso(now - 60_000) },
      ],
    }),
  )
  at(now - 2400, () =>
    support.todo('todo-export', 'created', 'Re-run export', {
      priority: 'high',
      source: 'agent_decision',
      dueBy: '2020-01-01T00:00:00.000Z',
    }),
  )
  at(now - 2300, () =>
    support.reportIssue('DB pool exhausted', 'high', {
      issueId: 'pool',
      category: 'connectivity',
      context: { pool: 10 },
      occurrenceCount: 7,
    }),
  )
  at(now - 2200, () =>
    support.scheduled([
      { id: 'nightly', name: 'Nightly sync', next_run: iso(now + 3_600_000), interval: 'daily', enabled: true },
    ]),
  )
}

function iso(ms: number): string {
  return new Date(ms).toISOString()
}

/** Raw ingest for bulk loads (the D70 performance fixture), where the SDK adds nothing to what is measured. */
type Ev = Record<string, unknown>

export function ev(eventType: string, atMs: number, extra: Ev = {}): Ev {
  return { event_id: randomUUID(), timestamp: new Date(atMs).toISOString(), event_type: eventType, ...extra }
}

/** A raw `llm_call` custom event (for tests that need exact timestamps, e.g. alert windows). */
export function llm(atMs: number, extra: Ev, data: Ev): Ev {
  return ev('custom', atMs, { ...extra, payload: { kind: 'llm_call', summary: `LLM ${String(data.name)}`, data } })
}

export async function ingest(srv: Poster, agentId: string, events: Ev[], envelope: Ev = {}): Promise<void> {
  const res = await srv.post('/v1/ingest', {
    envelope: {
      agent_id: agentId,
      agent_type: 'worker',
      agent_version: '1.2.0',
      framework: 'custom',
      environment: 'production',
      ...envelope,
    },
    events,
  })
  if (res.status !== 200) throw new Error(`ingest ${res.status}: ${await res.text()}`)
}
