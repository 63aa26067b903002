/** Known dashboard data, ingested directly (switch to the loophive SDK when it lands). */
import { randomUUID } from 'node:crypto'

export const XSS_AGENT = '<script>alert(1)</script><img src=x onerror="window.__pwned=1">'

export interface Poster {
  post(path: string, body: unknown, key?: string): Promise<Response>
}

type Ev = Record<string, unknown>

export function ev(eventType: string, atMs: number, extra: Ev = {}): Ev {
  return { event_id: randomUUID(), timestamp: new Date(atMs).toISOString(), event_type: eventType, ...extra }
}

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

/** Four agents: processing (with a completed task), stuck, waiting/escalated, and an id full of markup. */
export async function seed(srv: Poster, now = Date.now()): Promise<void> {
  const m = (min: number) => now - min * 60_000
  await ingest(srv, 'lead-qualifier', [
    ev('agent_registered', m(20), { payload: { summary: 'registered', data: { version: '1.2.0' } } }),
    ev('task_started', m(9), { task_id: 'task-lead-1', task_type: 'lead_scoring' }),
    ev('custom', m(9) + 100, {
      task_id: 'task-lead-1',
      payload: {
        kind: 'plan_created',
        summary: 'Process lead #1',
        data: { steps: [{ description: 'Score lead' }, { description: 'Notify sales' }] },
      },
    }),
    ev('action_started', m(9) + 1000, {
      task_id: 'task-lead-1',
      action_id: 'act-1',
      payload: { action_name: 'score_lead' },
    }),
    llm(
      m(9) + 1500,
      { task_id: 'task-lead-1', action_id: 'act-1' },
      {
        name: 'score',
        model: 'gpt-4o-2024-08-06',
        tokens_in: 1500,
        tokens_out: 300,
        cost: 0.0123,
        duration_ms: 800,
        prompt_preview: '{"lead":"Acme"}',
        response_preview: 'score: 82',
      },
    ),
    ev('action_completed', m(9) + 3000, {
      task_id: 'task-lead-1',
      action_id: 'act-1',
      duration_ms: 2000,
      payload: { action_name: 'score_lead' },
    }),
    ev('custom', m(9) + 3100, {
      task_id: 'task-lead-1',
      payload: {
        kind: 'plan_step',
        summary: 'Score lead done',
        data: { step_index: 0, total_steps: 2, action: 'completed' },
      },
    }),
    ev('custom', m(9) + 3200, {
      task_id: 'task-lead-1',
      payload: {
        kind: 'plan_step',
        summary: 'Notify done',
        data: { step_index: 1, total_steps: 2, action: 'completed' },
      },
    }),
    ev('task_completed', m(9) + 90_000, {
      task_id: 'task-lead-1',
      task_type: 'lead_scoring',
      duration_ms: 90_000,
      payload: { summary: 'Lead scored' },
    }),
    ev('task_started', m(1), { task_id: 'task-lead-2', task_type: 'lead_scoring' }),
    ev('heartbeat', now - 3000, { payload: { summary: 'Scoring lead #2' } }),
  ])
  await ingest(srv, 'scout', [
    ev('agent_registered', m(15), { payload: { data: { stuck_threshold: 10 } } }),
    ev('task_started', m(3), { task_id: 'task-scout-1', task_type: 'crawl' }),
    ev('heartbeat', now - 60_000),
  ])
  const failId = randomUUID()
  await ingest(srv, 'support-bot', [
    ev('agent_registered', m(30)),
    ev('task_started', m(6), { task_id: 'task-sup-1', task_type: 'ticket' }),
    ev('action_started', m(6) + 500, {
      task_id: 'task-sup-1',
      action_id: 'act-s1',
      payload: { action_name: 'fetch_crm' },
    }),
    {
      ...ev('action_failed', m(6) + 1500, {
        task_id: 'task-sup-1',
        action_id: 'act-s1',
        duration_ms: 1000,
        payload: { action_name: 'fetch_crm', exception_type: 'ConnectionError', exception_message: 'CRM timeout' },
      }),
      event_id: failId,
    },
    ev('retry_started', m(6) + 2000, {
      task_id: 'task-sup-1',
      parent_event_id: failId,
      payload: { data: { attempt: 2 } },
    }),
    ev('escalated', m(6) + 3000, {
      task_id: 'task-sup-1',
      parent_event_id: failId,
      payload: { summary: 'Escalated', data: { assigned_to: 'ops', reason: 'CRM down' } },
    }),
    ev('task_started', m(2), { task_id: 'task-sup-2', task_type: 'refund' }),
    ev('approval_requested', m(2) + 1000, {
      task_id: 'task-sup-2',
      payload: { summary: 'Refund $120', data: { approver: 'finance' } },
    }),
    ev('heartbeat', now - 2000),
  ])
  await ingest(srv, XSS_AGENT, [
    ev('agent_registered', m(5)),
    ev('custom', m(4), {
      payload: {
        kind: 'issue',
        summary: '<img src=x onerror="window.__pwned=2">',
        data: { severity: 'high', occurrence_count: 3 },
      },
    }),
    ev('heartbeat', now - 1000),
  ])
}
