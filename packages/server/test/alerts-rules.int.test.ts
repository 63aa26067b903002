import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../src/clock.js'
import { startTestServer, type TestServer } from '../src/testing/index.js'
import { login, seedUser } from './helpers/accounts.js'
import { call, createRule, evaluate, events, history, send, T0 } from './alerts-helpers.js'

let srv: TestServer
let clock: ManualClock
beforeEach(async () => {
  clock = new ManualClock(T0)
  srv = await startTestServer({ clock })
})
afterEach(async () => {
  await srv.close()
})

describe('alert rules CRUD (api.md §4.11)', () => {
  it('when a rule is created with {} config, then defaults are stored and returned with last_fired_at null', async () => {
    const rule = await createRule(srv, { name: 'Slow tasks', condition_type: 'task_duration' })
    expect(rule).toMatchObject({
      name: 'Slow tasks',
      condition_type: 'duration_exceeded',
      condition_config: { threshold_ms: 60_000 },
      project_id: null,
      filters: { agent_id: null, environment: null, group: null },
      actions: [],
      cooldown_seconds: 300,
      is_enabled: true,
      last_fired_at: null,
      tenant_id: 'dev',
      created_at: '2026-02-15T10:00:00.000Z',
    })
    const list = await call(srv, 'GET', '/v1/alerts/rules')
    expect(list.body.data).toHaveLength(1)
  })

  it.each([
    [{ condition_type: 'nope' }, 'body.condition_type'],
    [
      { condition_type: 'error_rate', condition_config: { threshold_percent: 101 } },
      'body.condition_config.threshold_percent',
    ],
    [{ condition_type: 'heartbeat_lost', condition_config: {} }, 'body.condition_config.agent_id'],
    [{ condition_type: 'loop_detected', condition_config: { min_repeats: 1 } }, 'body.condition_config.min_repeats'],
    [{ condition_type: 'task_failed', actions: [{ type: 'sms' }] }, 'body.actions.0.type'],
    [{ condition_type: 'task_failed', actions: [{ type: 'webhook', url: 'ftp://x' }] }, 'body.actions.0.url'],
    [{ condition_type: 'task_failed', cooldown_seconds: 86_401 }, 'body.cooldown_seconds'],
    [{ condition_type: 'task_failed', name: '' }, 'body.name'],
  ])('when the body is invalid (%j), then 400 names %s', async (body, field) => {
    const res = await call(srv, 'POST', '/v1/alerts/rules', { name: 'r', ...body })
    expect(res.status).toBe(400)
    expect(res.body.error).toBe('validation_error')
    expect(res.body.details.fields.map((f: { field: string }) => f.field)).toContain(field)
  })

  it('when a webhook has a secret, then reads show secret_set only, and an update without it keeps it', async () => {
    const url = 'http://127.0.0.1:9/hook'
    const rule = await createRule(srv, {
      condition_type: 'task_failed',
      actions: [{ type: 'webhook', url, secret: 's3cret' }],
    })
    expect(rule['actions']).toEqual([{ type: 'webhook', url, format: 'json', secret_set: true }])
    expect(JSON.stringify(rule)).not.toContain('s3cret')
    const updated = await call(srv, 'PUT', `/v1/alerts/rules/${rule['rule_id']}`, {
      name: 'renamed',
      actions: [{ type: 'webhook', url, format: 'slack' }],
    })
    expect(updated.status).toBe(200)
    expect(updated.body).toMatchObject({ name: 'renamed', actions: [{ format: 'slack', secret_set: true }] })
    const stored = srv.storage.entities.listTenant('alert_rules', 'dev')[0]!
    expect(stored.actions[0]).toMatchObject({ secret: 's3cret' })
  })

  it('when PUT changes the config, then it is re-validated; DELETE removes; unknown ids are 404', async () => {
    const rule = await createRule(srv, { condition_type: 'error_rate' })
    const path = `/v1/alerts/rules/${rule['rule_id']}`
    expect((await call(srv, 'PUT', path, { condition_config: { window_minutes: 0 } })).status).toBe(400)
    const ok = await call(srv, 'PUT', path, { condition_config: { window_minutes: 5 }, is_enabled: false })
    expect(ok.body).toMatchObject({ condition_config: { window_minutes: 5, threshold_percent: 50 }, is_enabled: false })
    expect((await call(srv, 'GET', '/v1/alerts/rules?is_enabled=true')).body.data).toHaveLength(0)
    expect(await call(srv, 'DELETE', path)).toEqual({
      status: 200,
      body: { status: 'deleted', rule_id: rule['rule_id'] },
    })
    const missing = await call(srv, 'PUT', path, { name: 'x' })
    expect(missing).toMatchObject({ status: 404, body: { error: 'not_found', message: 'Alert rule not found' } })
  })

  it('when a rule names a project by slug, then it is stored as the id; an unknown project is 404', async () => {
    const rule = await createRule(srv, { condition_type: 'task_failed', project_id: 'default' })
    expect(rule['project_id']).toMatch(/^[0-9a-f-]{36}$/)
    expect(
      (await call(srv, 'POST', '/v1/alerts/rules', { name: 'r', condition_type: 'task_failed', project_id: 'nope' }))
        .status,
    ).toBe(404)
  })

  it('when read or test keys write rules, then 403; they may read', async () => {
    const body = { name: 'r', condition_type: 'task_failed' }
    for (const key of [srv.keys.read, srv.keys.test]) {
      const res = await call(srv, 'POST', '/v1/alerts/rules', body, key)
      expect(res).toMatchObject({ status: 403, body: { error: 'insufficient_permissions' } })
      expect((await call(srv, 'GET', '/v1/alerts/rules', undefined, key)).status).toBe(200)
    }
  })
})

describe('roles (api.md §2.4 "Alert rule writes, test-fire")', () => {
  it('when viewers write rules, then 403; members may write; viewers may read', async () => {
    const body = { name: 'r', condition_type: 'task_failed' }
    const viewer = await seedUser(srv, 'viewer')
    const viewerToken = await login(srv, viewer.user.email, viewer.password)
    expect((await call(srv, 'POST', '/v1/alerts/rules', body, viewerToken)).status).toBe(403)
    expect((await call(srv, 'GET', '/v1/alerts/history', undefined, viewerToken)).status).toBe(200)
    const member = await seedUser(srv, 'member')
    const memberToken = await login(srv, member.user.email, member.password)
    const created = await call(srv, 'POST', '/v1/alerts/rules', body, memberToken)
    expect(created.status).toBe(201)
    const test = await call(srv, 'POST', `/v1/alerts/rules/${created.body.rule_id}/test`, undefined, viewerToken)
    expect(test.status).toBe(403)
  })
})

describe('restart', () => {
  it('when the server restarts, then rules and history survive and cooldown still blocks a repeat', async () => {
    const rule = await createRule(srv, { condition_type: 'task_failed', cooldown_seconds: 600 })
    await send(srv, events([{ event_type: 'task_failed', task_id: 't1' }]))
    expect(await history(srv)).toHaveLength(1)
    const dataDir = srv.dataDir
    await srv.close({ keepData: true })
    srv = await startTestServer({ clock, dataDir })
    const rules = (await call(srv, 'GET', '/v1/alerts/rules')).body.data
    expect(rules).toEqual([
      expect.objectContaining({ rule_id: rule['rule_id'], last_fired_at: '2026-02-15T10:00:00.000Z' }),
    ])
    const before = await history(srv)
    expect(before).toEqual([expect.objectContaining({ rule_id: rule['rule_id'], related_task_id: 't1' })])
    clock.advance(60_000)
    await send(srv, events([{ event_type: 'task_failed', task_id: 't2' }], T0 + 60_000))
    expect(await history(srv)).toHaveLength(1)
    clock.advance(600_000)
    await send(srv, events([{ event_type: 'task_failed', task_id: 't3' }], T0 + 660_000))
    expect((await history(srv)).map((a) => a.related_task_id)).toEqual(['t3', 't1'])
  })
})

describe('restart with an open episode', () => {
  it('when a level condition still holds after restart, then cooldown blocks a repeat and recovery resolves the old alert', async () => {
    await createRule(srv, { condition_type: 'agent_stuck', cooldown_seconds: 3600 })
    await send(srv, events([{ event_type: 'heartbeat' }]))
    clock.advance(301_000)
    await evaluate(srv)
    const dataDir = srv.dataDir
    await srv.close({ keepData: true })
    srv = await startTestServer({ clock, dataDir })
    clock.advance(30_000)
    await evaluate(srv)
    const [alert] = await history(srv)
    expect(await history(srv)).toHaveLength(1)
    await send(srv, events([{ event_type: 'heartbeat' }], T0 + 331_000))
    expect(await history(srv)).toEqual([
      expect.objectContaining({ alert_id: alert.alert_id, resolved_at: '2026-02-15T10:05:31.000Z' }),
    ])
  })
})

describe('history reads', () => {
  it('when there are more alerts than the limit, then pages are newest first and never overlap', async () => {
    await createRule(srv, { condition_type: 'task_failed', cooldown_seconds: 0 })
    for (let i = 0; i < 5; i++) {
      clock.set(T0 + i * 1000)
      await send(srv, events([{ event_type: 'task_failed', task_id: `t${i}` }], T0 + i * 1000))
    }
    const first = await call(srv, 'GET', '/v1/alerts/history?limit=2')
    expect(first.body.data.map((a: any) => a.related_task_id)).toEqual(['t4', 't3'])
    expect(first.body.pagination.has_more).toBe(true)
    const second = await call(srv, 'GET', `/v1/alerts/history?limit=2&cursor=${first.body.pagination.cursor}`)
    expect(second.body.data.map((a: any) => a.related_task_id)).toEqual(['t2', 't1'])
    const since = await history(srv, `?since=${new Date(T0 + 3000).toISOString()}`)
    expect(since).toHaveLength(2)
    const summary = await call(srv, 'GET', '/v1/alerts/summary')
    expect(summary.body).toMatchObject({ open_count: 5, fired_24h: 5, open_by_condition_type: { task_failed: 5 } })
  })

  it('when many alerts fire in the same millisecond, then paging still returns each exactly once', async () => {
    await createRule(srv, { condition_type: 'task_failed', cooldown_seconds: 0 })
    // One batch at a pinned clock: every alert has the same fired_at; only alert_id orders them.
    await send(srv, events(Array.from({ length: 7 }, (_, i) => ({ event_type: 'task_failed', task_id: `same-${i}` }))))
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const query: string = cursor === null ? '' : `&cursor=${cursor}`
      const page: { body: { data: { alert_id: string }[]; pagination: { cursor: string | null } } } = await call(
        srv,
        'GET',
        `/v1/alerts/history?limit=3${query}`,
      )
      seen.push(...page.body.data.map((a) => a.alert_id))
      cursor = page.body.pagination.cursor
    } while (cursor !== null && seen.length < 50)
    expect(seen).toHaveLength(7)
    expect(new Set(seen).size).toBe(7)
  })
})
