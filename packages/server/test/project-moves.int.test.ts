import { rmSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { anEvent, ingestBody, startTestServer, type TestServer } from '../src/testing/index.js'
import { call } from './helpers/accounts.js'

/**
 * Merge and delete-with-reassign "move" events by redirect (events stay stored under their old project id).
 * Every endpoint must report the moved events under the target, count them under the target's filter, and
 * show nothing under the source, whose id still resolves (an archived project, api.md §4.10) and so
 * answers 200 with empty results rather than 404.
 */

let srv: TestServer
const api = (method: string, path: string, body?: unknown) => call(srv, method, path, { token: srv.keys.live, body })
const at = (hhmm: string) => `2026-02-15T${hhmm}:00.000Z`

interface Projects {
  alpha: string
  beta: string
  gamma: string
}
let ids: Projects

/** Per project: costs and queue depths differ, so every sum says which projects it covered. */
const FIXTURE = [
  { slug: 'alpha', agent: 'agent-alpha', cost: 0.1, depth: 1 },
  { slug: 'beta', agent: 'agent-beta', cost: 0.2, depth: 2 },
  { slug: 'gamma', agent: 'agent-gamma', cost: 0.4, depth: 4 },
] as const
const EVENTS_PER_PROJECT = 7

function projectEvents(slug: string, cost: number, depth: number) {
  const e = (hhmm: string, fields: Record<string, unknown>) =>
    anEvent({ project_id: slug, timestamp: at(hhmm), task_id: `t-${slug}`, ...fields })
  return [
    e('09:50', { event_type: 'task_started' }),
    e('09:51', { event_type: 'action_started', action_id: `act-${slug}` }),
    e('09:52', { event_type: 'action_completed', action_id: `act-${slug}` }),
    e('09:52', {
      event_type: 'custom',
      payload: { kind: 'llm_call', data: { name: 'plan', model: 'gpt-4o', tokens_in: 10, tokens_out: 5, cost } },
    }),
    e('09:55', { event_type: 'task_completed', duration_ms: 5000 }),
    e('09:56', { event_type: 'custom', task_id: null, payload: { kind: 'queue_snapshot', data: { depth } } }),
    // Left open, so the agent's current_project_id is this project.
    e('09:58', { event_type: 'task_started', task_id: `open-${slug}` }),
  ]
}

async function seed(): Promise<Projects> {
  const out: Record<string, string> = {}
  for (const { slug, agent, cost, depth } of FIXTURE) {
    const created = await api('POST', '/v1/projects', { name: slug })
    expect(created.status).toBe(201)
    out[slug] = created.body.project_id as string
    const res = await api('POST', '/v1/ingest', ingestBody(projectEvents(slug, cost, depth), { agent_id: agent }))
    expect(res.status, JSON.stringify(res.body)).toBe(200)
  }
  return out as unknown as Projects
}

async function moveAlphaAndGammaIntoBeta(): Promise<void> {
  const merged = await api('POST', '/v1/projects/alpha/merge', { target_slug: 'beta' })
  expect(merged.body).toEqual({ status: 'merged', source_slug: 'alpha', target_slug: 'beta', events_moved: 7 })
  const deleted = await api('DELETE', '/v1/projects/gamma?reassign_to=beta')
  expect(deleted.body).toEqual({ status: 'deleted', events_reassigned: 7, reassigned_to: 'beta' })
}

/** Every project id a body reports, wherever it sits (items, nested timeline events, agents, groups). */
function reportedProjectIds(body: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(body)) for (const item of body) reportedProjectIds(item, out)
  else if (typeof body === 'object' && body !== null) {
    for (const [key, value] of Object.entries(body)) {
      if (/(^|_)project_id$/.test(key) && typeof value === 'string') out.add(value)
      else reportedProjectIds(value, out)
    }
  }
  return out
}

const sum = (rows: Array<Record<string, number>>, field: string) => rows.reduce((n, r) => n + (r[field] ?? 0), 0)
const round6 = (n: number) => Math.round(n * 1e6) / 1e6

interface Probe {
  path: string
  /** What the endpoint counts or sums over the filtered project's events. */
  measure: (body: any) => number
  /** The measure over all three projects' events (what the target reports after the moves). */
  all: number
}

const ALL_EVENTS = EVENTS_PER_PROJECT * FIXTURE.length
const ALL_COST = 0.7
const ALL_DEPTH = 7

/** One row per project-filtered endpoint; `{p}` is the project ref under test. */
const PROBES: Probe[] = [
  { path: '/v1/events?limit=200&project_id={p}', measure: (b) => b.data.length, all: ALL_EVENTS },
  { path: '/v1/tasks?project_id={p}', measure: (b) => b.data.length, all: 6 },
  { path: '/v1/agents?project_id={p}', measure: (b) => b.data.length, all: 3 },
  { path: '/v1/projects/{p}/agents', measure: (b) => b.data.length, all: 3 },
  { path: '/v1/projects/{p}', measure: (b) => b.event_count, all: ALL_EVENTS },
  { path: '/v1/projects/{p}', measure: (b) => b.agent_count, all: 3 },
  { path: '/v1/llm-calls?project_id={p}', measure: (b) => b.data.length + b.totals.call_count, all: 6 },
  { path: '/v1/cost/calls?project_id={p}', measure: (b) => round6(b.totals.cost), all: ALL_COST },
  { path: '/v1/cost?project_id={p}', measure: (b) => round6(b.total_cost), all: ALL_COST },
  { path: '/v1/cost/timeseries?project_id={p}', measure: (b) => round6(sum(b.data, 'cost')), all: ALL_COST },
  { path: '/v1/metrics?project_id={p}', measure: (b) => b.summary.completed * 10 + b.summary.total_tasks, all: 36 },
  { path: '/v1/metrics?range=24h&project_id={p}', measure: (b) => round6(b.summary.total_cost), all: ALL_COST },
  { path: '/v1/insights?project_id={p}', measure: (b) => b.cost.call_count * 10 + b.fleet.total, all: 33 },
  { path: '/v1/insights?project_id={p}', measure: (b) => b.tasks.completed + b.cost.top_calls.length, all: 6 },
  { path: '/v1/pipeline?project_id={p}', measure: (b) => b.totals.queue_depth, all: ALL_DEPTH },
]

/** Endpoints without a project filter that still report project ids of the moved events. */
const REPORTERS = [
  '/v1/events?limit=200',
  '/v1/tasks',
  '/v1/tasks/t-alpha/timeline',
  '/v1/tasks/t-gamma/timeline',
  '/v1/agents',
  '/v1/agents/agent-alpha',
  '/v1/agents/agent-gamma',
  '/v1/llm-calls',
  '/v1/cost/calls?sort=cost',
  '/v1/cost',
  '/v1/metrics?group_by=project',
  '/v1/insights',
]

/** Soft assertions, so a regression lists every endpoint that fails, not just the first. */
async function expectMovedIntoBeta(): Promise<void> {
  for (const probe of PROBES) {
    for (const [ref, expected] of [
      ['beta', probe.all],
      [ids.beta, probe.all],
      ['alpha', 0],
      [ids.alpha, 0],
      ['gamma', 0],
      [ids.gamma, 0],
    ] as const) {
      const path = probe.path.replace('{p}', ref)
      const res = await api('GET', path)
      expect.soft(res.status, path).toBe(200)
      expect.soft(probe.measure(res.body), path).toBe(expected)
      // The project record itself names its own id; everything else names where the events are now.
      if (probe.path === '/v1/projects/{p}') continue
      const reported = [...reportedProjectIds(res.body)]
      expect.soft(expected === 0 ? reported : reported.filter((id) => id !== ids.beta), path).toEqual([])
    }
  }
  for (const path of REPORTERS) {
    const res = await api('GET', path)
    expect.soft(res.status, path).toBe(200)
    expect.soft([...reportedProjectIds(res.body)], path).toEqual([ids.beta])
  }
  const cost = (await api('GET', '/v1/cost')).body
  expect.soft(cost.by_project).toMatchObject([{ project_id: ids.beta, cost: ALL_COST, call_count: 3 }])
  const groups = (await api('GET', '/v1/metrics?group_by=project')).body.groups
  expect.soft(groups).toMatchObject([{ project_id: ids.beta, tasks_completed: 3, llm_call_count: 3 }])
}

beforeEach(async () => {
  srv = await startTestServer()
  ids = await seed()
})
const restartedDirs: string[] = []
afterEach(async () => {
  await srv.close()
  for (const dir of restartedDirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

describe('events moved by merge and delete with reassign (api.md §4.10)', () => {
  it('before any move, then each project reports and counts only its own events', async () => {
    const cost = await api('GET', '/v1/cost?project_id=beta')
    expect(cost.body.total_cost).toBe(0.2)
    const agent = await api('GET', '/v1/agents/agent-alpha')
    expect(agent.body.current_project_id).toBe(ids.alpha)
    expect(new Set((await api('GET', '/v1/cost')).body.by_project.map((r: any) => r.project_id))).toEqual(
      new Set([ids.alpha, ids.beta, ids.gamma]),
    )
  })

  it('when alpha is merged into beta and gamma deleted into beta, then every endpoint reports and counts them under beta', async () => {
    await moveAlphaAndGammaIntoBeta()
    await expectMovedIntoBeta()
  })

  it('when the server restarts on the same data folder, then the moves still hold everywhere', async () => {
    await moveAlphaAndGammaIntoBeta()
    const dataDir = srv.dataDir
    await srv.close({ keepData: true })
    restartedDirs.push(dataDir)
    srv = await startTestServer({ dataDir })
    await expectMovedIntoBeta()
  })

  it('when a merged project is unarchived, then the merge is undone: its old and new events are its own again', async () => {
    await moveAlphaAndGammaIntoBeta()
    expect((await api('POST', '/v1/projects/alpha/unarchive')).body).toEqual({ status: 'unarchived' })
    const later = anEvent({ event_type: 'custom', project_id: 'alpha', timestamp: at('09:59'), payload: null })
    expect((await api('POST', '/v1/ingest', ingestBody([later], { agent_id: 'agent-alpha' }))).status).toBe(200)
    const alpha = await api('GET', '/v1/events?limit=200&project_id=alpha')
    expect(alpha.body.data).toHaveLength(EVENTS_PER_PROJECT + 1)
    expect([...reportedProjectIds(alpha.body)]).toEqual([ids.alpha])
    expect((await api('GET', '/v1/projects/alpha')).body).toMatchObject({ event_count: 8, merged_into: null })
    expect((await api('GET', '/v1/projects/beta')).body.event_count).toBe(2 * EVENTS_PER_PROJECT)
    expect((await api('GET', '/v1/cost?project_id=alpha')).body.total_cost).toBe(0.1)
  })

  it('when an agent of a moved project changes status, then the push reports the target project', async () => {
    await moveAlphaAndGammaIntoBeta()
    srv.recorder!.clear()
    const failed = anEvent({ event_type: 'action_failed', timestamp: at('09:59'), task_id: 'open-alpha' })
    expect((await api('POST', '/v1/ingest', ingestBody([failed], { agent_id: 'agent-alpha' }))).status).toBe(200)
    const [change] = srv.recorder!.ofType('agent.status_changed')
    expect(change?.data).toMatchObject({ agent_id: 'agent-alpha', new_status: 'error', current_project_id: ids.beta })
    const [pushed] = srv.recorder!.ofType('event.new')
    expect(pushed?.data.project_id).toBeNull()
  })

  it('when a merge happens between two batches, then the next batch re-tallies the rule window with the moved calls', async () => {
    const rule = await api('POST', '/v1/alerts/rules', {
      name: 'beta budget',
      project_id: 'beta',
      condition_type: 'cost_threshold',
      condition_config: { threshold_usd: 0.75, window_hours: 24 },
    })
    expect(rule.status).toBe(201)
    const betaCall = () =>
      anEvent({
        event_type: 'custom',
        project_id: 'beta',
        timestamp: at('09:59'),
        payload: { kind: 'llm_call', data: { name: 'plan', model: 'gpt-4o', tokens_in: 1, tokens_out: 1, cost: 0.05 } },
      })
    const send = () => api('POST', '/v1/ingest', ingestBody([betaCall()], { agent_id: 'agent-beta' }))
    expect((await send()).status).toBe(200) // tallied on ingest: beta alone, 0.25 USD
    expect((await api('GET', '/v1/alerts/history')).body.data).toHaveLength(0)
    await moveAlphaAndGammaIntoBeta()
    expect((await send()).status).toBe(200)
    const fired = (await api('GET', '/v1/alerts/history')).body.data
    expect(fired).toHaveLength(1)
    expect(fired[0].condition_snapshot).toMatchObject({ total_cost_usd: 0.8, call_count: 5 })
  })

  it('when a cost_threshold rule is scoped to the target, then the moved calls count toward it', async () => {
    const rule = await api('POST', '/v1/alerts/rules', {
      name: 'beta budget',
      project_id: 'beta',
      condition_type: 'cost_threshold',
      condition_config: { threshold_usd: 0.5, window_hours: 24 },
    })
    expect(rule.status).toBe(201)
    await srv.running.app.services.alerts.evaluator.evaluateAll()
    expect((await api('GET', '/v1/alerts/history')).body.data).toHaveLength(0) // beta alone: 0.2 USD
    await moveAlphaAndGammaIntoBeta()
    await srv.running.app.services.alerts.evaluator.evaluateAll()
    const fired = (await api('GET', '/v1/alerts/history')).body.data
    expect(fired).toHaveLength(1)
    expect(fired[0].condition_snapshot).toMatchObject({ total_cost_usd: ALL_COST, call_count: 3 })
  })
})
