import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parseRecord, type EventRecord } from '../src/projection/stored-event.js'

// Stored events as loose JSON, for assertions.
const storedEvent = (record: EventRecord): any => parseRecord(record)
import { anEvent, ingestBody, startTestServer, type TestServer } from '../src/testing/index.js'

let srv: TestServer
beforeEach(async () => {
  srv = await startTestServer()
})
afterEach(async () => {
  await srv.close()
})

async function ingest(body: unknown, key?: string) {
  const res = await srv.post('/v1/ingest', body, key)
  return { status: res.status, body: (await res.json()) as Record<string, any> }
}

describe('POST /v1/ingest whole-request rules (api.md §4.2, events.md E3)', () => {
  it('when the body is valid, then it answers 200 with counts and both arrays', async () => {
    const { status, body } = await ingest(ingestBody(3))
    expect(status).toBe(200)
    expect(body).toEqual({ accepted: 3, rejected: 0, duplicates: 0, errors: [], warnings: [] })
  })

  it('when events is empty, then it answers 200 with zero counts', async () => {
    expect(await ingest(ingestBody([]))).toEqual({
      status: 200,
      body: { accepted: 0, rejected: 0, duplicates: 0, errors: [], warnings: [] },
    })
  })

  it.each([
    ['a JSON array', [], 'body'],
    ['no envelope', { events: [] }, 'body.envelope'],
    ['no events', { envelope: { agent_id: 'a' } }, 'body.events'],
    ['events not an array', { envelope: { agent_id: 'a' }, events: {} }, 'body.events'],
    ['an empty agent_id', { envelope: { agent_id: '' }, events: [] }, 'body.envelope.agent_id'],
    ['a numeric agent_id', { envelope: { agent_id: 7 }, events: [] }, 'body.envelope.agent_id'],
    ['a 257-char agent_id', { envelope: { agent_id: 'x'.repeat(257) }, events: [] }, 'body.envelope.agent_id'],
    ['a numeric framework', { envelope: { agent_id: 'a', framework: 3 }, events: [] }, 'body.envelope.framework'],
  ])(
    'when the body has %s, then 400 validation_error names the field and nothing is stored',
    async (_, body, field) => {
      const { status, body: error } = await ingest(body)
      expect(status).toBe(400)
      expect(error['error']).toBe('validation_error')
      expect(error['details'].fields.map((f: { field: string }) => f.field)).toContain(field)
      expect(srv.storage.namespace('dev', 'live').events).toHaveLength(0)
    },
  )

  it('when a batch holds 501 events, then 413 too_many_events; 500 is accepted', async () => {
    const tooMany = await ingest(ingestBody(501))
    expect(tooMany.status).toBe(413)
    expect(tooMany.body).toMatchObject({
      error: 'too_many_events',
      status: 413,
      details: { max_events: 500, received: 501 },
    })
    expect((await ingest(ingestBody(500))).body['accepted']).toBe(500)
  })

  it('when the body is over 5 MB, then 413 body_too_large before parsing', async () => {
    const big = JSON.stringify(ingestBody([anEvent({ payload: { blob: 'x'.repeat(6 * 1024 * 1024) } })]))
    const { status, body } = await ingest(big)
    expect(status).toBe(413)
    expect(body).toMatchObject({ error: 'body_too_large', details: { limit_bytes: 5_242_880 } })
    expect(srv.storage.namespace('dev', 'live').events).toHaveLength(0)
  })

  it('when the JSON is malformed, then 400 invalid_json in the envelope', async () => {
    const { status, body } = await ingest('{"envelope": {')
    expect(status).toBe(400)
    expect(body).toEqual({ error: 'invalid_json', message: expect.any(String), status: 400 })
  })

  it('when the content type is not JSON, then 415', async () => {
    const res = await fetch(`${srv.url}/v1/ingest`, {
      method: 'POST',
      headers: { authorization: `Bearer ${srv.keys.live}`, 'content-type': 'text/plain' },
      body: JSON.stringify(ingestBody(1)),
    })
    expect(res.status).toBe(415)
    expect(((await res.json()) as { error: string }).error).toBe('unsupported_media_type')
  })

  it('when the body is gzip-encoded, then 415', async () => {
    const res = await fetch(`${srv.url}/v1/ingest`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${srv.keys.live}`,
        'content-type': 'application/json',
        'content-encoding': 'gzip',
      },
      body: 'xx',
    })
    expect(res.status).toBe(415)
  })
})

describe('per-event rules (api.md §4.2 table, events.md E20)', () => {
  const cases: Array<[string, unknown, string]> = [
    ['not an object', 'hello', 'invalid_field'],
    ['no event_id', { timestamp: '2026-02-15T10:00:00Z', event_type: 'heartbeat' }, 'missing_field'],
    ['an empty event_id', anEvent({ event_id: '' }), 'missing_field'],
    ['a numeric event_id', anEvent({ event_id: 12 }), 'invalid_field'],
    ['a 257-char event_id', anEvent({ event_id: 'e'.repeat(257) }), 'field_too_long'],
    ['no timestamp', anEvent({ timestamp: undefined }), 'missing_field'],
    ['no event_type', anEvent({ event_type: undefined }), 'missing_field'],
    ['a 257-char task_id', anEvent({ task_id: 't'.repeat(257) }), 'field_too_long'],
    ['a 65-char status', anEvent({ status: 's'.repeat(65) }), 'field_too_long'],
    ['a numeric task_id', anEvent({ task_id: 5 }), 'invalid_field'],
    ['a negative duration', anEvent({ duration_ms: -1 }), 'invalid_field'],
    ['a string duration that is not numeric', anEvent({ duration_ms: 'soon' }), 'invalid_field'],
    ['an array payload', anEvent({ payload: [1] }), 'invalid_field'],
    ['a numeric severity', anEvent({ severity: 3 }), 'invalid_field'],
    ['an unparsable timestamp', anEvent({ timestamp: 'not-a-date' }), 'invalid_timestamp'],
    ['a date-only timestamp', anEvent({ timestamp: '2026-02-15' }), 'invalid_timestamp'],
    ['a numeric timestamp', anEvent({ timestamp: 1770000000 }), 'invalid_timestamp'],
    ['February 30', anEvent({ timestamp: '2026-02-30T10:00:00Z' }), 'invalid_timestamp'],
    ['an unknown event_type', anEvent({ event_type: 'scored' }), 'invalid_event_type'],
    ['a 257-char agent override', anEvent({ agent_id: 'a'.repeat(257) }), 'field_too_long'],
    ['a 33 KB payload', anEvent({ payload: { blob: 'x'.repeat(33_000) } }), 'payload_too_large'],
    ['a slash in project', anEvent({ project_id: 'a/b' }), 'invalid_project'],
  ]
  it.each(cases)('when an event has %s, then only it is rejected with %s', async (_, bad, code) => {
    const good = anEvent({ event_id: 'good' })
    const { status, body } = await ingest(ingestBody([good, bad as never]))
    expect(status).toBe(207)
    expect(body['accepted']).toBe(1)
    expect(body['rejected']).toBe(1)
    expect(body['errors']).toMatchObject([{ index: 1, error: code, message: expect.any(String) }])
    const stored = srv.storage.namespace('dev', 'live').events.map((e) => e.eventId)
    expect(stored).toEqual(['good'])
  })

  it('when every event is rejected, then it is still 207', async () => {
    const { status, body } = await ingest(ingestBody([anEvent({ event_type: 'nope' })]))
    expect(status).toBe(207)
    expect(body).toMatchObject({ accepted: 0, rejected: 1 })
  })

  it('when an event is rejected, then error items carry index, event_id (null when absent) and a sentence', async () => {
    const { body } = await ingest(
      ingestBody([anEvent({ event_id: undefined }), anEvent({ event_id: 'x', event_type: 'scored' })]),
    )
    expect(body['errors']).toEqual([
      { index: 0, event_id: null, error: 'missing_field', message: 'Missing required field: event_id' },
      { index: 1, event_id: 'x', error: 'invalid_event_type', message: 'Unknown event_type: scored' },
    ])
  })
})

describe('normalisation (events.md E8, E9, E14, E21–E23)', () => {
  it('when a timestamp has an offset and extra fraction digits, then it is stored in UTC with ms', async () => {
    await ingest(
      ingestBody([
        anEvent({ event_id: 'a', timestamp: '2026-02-10T15:00:01+01:00' }),
        anEvent({ event_id: 'b', timestamp: '2026-02-10T14:00:02.123456' }),
      ]),
    )
    const events = (await (
      await srv.get('/v1/events?exclude_heartbeats=false&since=2026-01-01T00:00:00Z')
    ).json()) as any
    const byId = Object.fromEntries(events.data.map((e: any) => [e.event_id, e.timestamp]))
    expect(byId).toEqual({ a: '2026-02-10T14:00:01.000Z', b: '2026-02-10T14:00:02.123Z' })
  })

  it('when severity is absent, then the E14 default applies; an unknown one warns and defaults', async () => {
    const { body } = await ingest(
      ingestBody([
        anEvent({ event_id: 'hb' }),
        anEvent({ event_id: 'tf', event_type: 'task_failed', task_id: 't' }),
        anEvent({ event_id: 'rs', event_type: 'retry_started' }),
        anEvent({ event_id: 'issue', event_type: 'custom', payload: { kind: 'issue', data: { severity: 'high' } } }),
        anEvent({
          event_id: 'todo',
          event_type: 'custom',
          payload: { kind: 'todo', data: { todo_id: '1', action: 'failed' } },
        }),
        anEvent({ event_id: 'q', event_type: 'custom', payload: { kind: 'queue_snapshot', data: { depth: 1 } } }),
        anEvent({ event_id: 'weird', event_type: 'custom', severity: 'LOUD' }),
        anEvent({ event_id: 'kept', event_type: 'custom', severity: 'warn' }),
      ]),
    )
    expect(body['warnings']).toEqual([
      { index: 6, event_id: 'weird', code: 'unknown_severity', warning: "Unknown severity 'LOUD', defaulting to auto" },
    ])
    const severities = Object.fromEntries(
      srv.storage.namespace('dev', 'live').events.map((e) => [e.eventId, e.severity]),
    )
    expect(severities).toEqual({
      hb: 'debug',
      tf: 'error',
      rs: 'warn',
      issue: 'error',
      todo: 'warn',
      q: 'debug',
      weird: 'info',
      kept: 'warn',
    })
  })

  it('when envelope environment/group are long, then they are truncated with one warning each', async () => {
    const { body } = await ingest(ingestBody([anEvent()], { environment: 'e'.repeat(70), group: 'g'.repeat(130) }))
    expect(body['warnings'].filter((w: any) => w.code === 'field_truncated' && w.index === null)).toHaveLength(2)
    const agent = (await (await srv.get('/v1/agents/agent-1')).json()) as any
    expect(agent.environment).toHaveLength(64)
    expect(agent.group).toHaveLength(128)
  })

  it('when envelope environment and group are null, then they default to production/default', async () => {
    await ingest(ingestBody([anEvent()], { environment: null, group: null }))
    const agent = (await (await srv.get('/v1/agents/agent-1')).json()) as any
    expect([agent.environment, agent.group]).toEqual(['production', 'default'])
  })

  it('when a summary is over 512 code points, then it is cut without splitting a surrogate pair', async () => {
    const summary = '😀'.repeat(600)
    const { body } = await ingest(ingestBody([anEvent({ event_type: 'custom', payload: { summary } })]))
    expect(body['warnings'].map((w: any) => w.code)).toEqual(['field_truncated'])
    const stored = storedEvent(srv.storage.namespace('dev', 'live').events[0]!)
    expect([...stored.payload.summary]).toHaveLength(512)
  })

  it('when a well-known kind misses recommended keys, then each warns (and data missing warns all)', async () => {
    const { status, body } = await ingest(
      ingestBody([
        anEvent({ event_type: 'custom', payload: { kind: 'llm_call', data: { name: 'x' } } }),
        anEvent({ event_type: 'custom', payload: { kind: 'plan_step' } }),
      ]),
    )
    expect(status).toBe(200)
    expect(body['warnings'].map((w: any) => [w.index, w.warning])).toEqual([
      [0, 'payload.kind=llm_call recommends data.model'],
      [1, 'payload.kind=plan_step recommends data.step_index'],
      [1, 'payload.kind=plan_step recommends data.total_steps'],
      [1, 'payload.kind=plan_step recommends data.action'],
    ])
  })

  it('when a timestamp is more than 300 s ahead of received_at, then it warns timestamp_in_future', async () => {
    const { body } = await ingest(
      ingestBody([anEvent({ timestamp: '2026-02-15T10:05:01Z' }), anEvent({ timestamp: '2026-02-15T10:05:00Z' })]),
    )
    expect(body['warnings']).toEqual([expect.objectContaining({ index: 0, code: 'timestamp_in_future' })])
  })

  it('when client sends server fields, then they are ignored', async () => {
    await ingest(
      ingestBody([
        anEvent({ event_id: 'x', tenant_id: 'evil', received_at: '2020-01-01T00:00:00Z', key_type: 'test', seq: 99 }),
      ]),
    )
    const stored = storedEvent(srv.storage.namespace('dev', 'live').events[0]!)
    expect(stored).toMatchObject({
      tenant_id: 'dev',
      key_type: 'live',
      received_at: '2026-02-15T10:00:00.000Z',
      seq: 1,
    })
  })

  it('when an event overrides agent_id, then it belongs to that agent with the envelope metadata', async () => {
    await ingest(
      ingestBody([anEvent({ agent_id: 'other', agent_type: 'special' }), anEvent({ agent_id: '' })], {
        agent_id: 'env-agent',
      }),
    )
    const agents = (await (await srv.get('/v1/agents')).json()) as any
    const ids = agents.data.map((a: any) => [a.agent_id, a.agent_type, a.framework]).sort()
    expect(ids).toEqual([
      ['env-agent', 'worker', 'custom'],
      ['other', 'special', 'custom'],
    ])
  })

  it('when an agent registers with an invalid stuck_threshold, then it warns and keeps the default', async () => {
    const { body } = await ingest(
      ingestBody([anEvent({ event_type: 'agent_registered', payload: { data: { stuck_threshold: 5 } } })]),
    )
    expect(body['warnings'].map((w: any) => w.code)).toEqual(['invalid_stuck_threshold'])
    expect(((await (await srv.get('/v1/agents/agent-1')).json()) as any).stuck_threshold_seconds).toBe(300)
  })

  it('when duration_ms is fractional or a numeric string, then the fraction is dropped', async () => {
    await ingest(
      ingestBody([anEvent({ event_id: 'a', duration_ms: 12.9 }), anEvent({ event_id: 'b', duration_ms: '40.5' })]),
    )
    const durations = srv.storage.namespace('dev', 'live').events.map((e) => e.durationMs)
    expect(durations).toEqual([12, 40])
  })
})

describe('dedup (events.md E26)', () => {
  it('when an event_id repeats in a batch or across batches, then it counts as accepted and duplicate, first copy wins', async () => {
    const first = await ingest(
      ingestBody([
        anEvent({ event_id: 'd', payload: { summary: 'first' } }),
        anEvent({ event_id: 'd', payload: { summary: 'second' } }),
      ]),
    )
    expect(first.body).toMatchObject({ accepted: 2, duplicates: 1 })
    const again = await ingest(ingestBody([anEvent({ event_id: 'd', payload: { summary: 'third' } })]))
    expect(again.body).toMatchObject({ accepted: 1, duplicates: 1, rejected: 0 })
    const events = srv.storage.namespace('dev', 'live').events
    expect(events).toHaveLength(1)
    expect(storedEvent(events[0]!).payload.summary).toBe('first')
  })

  it('when the same event_id is sent with the test key, then it is a duplicate too (api.md §2.6)', async () => {
    await ingest(ingestBody([anEvent({ event_id: 'shared' })]))
    expect((await ingest(ingestBody([anEvent({ event_id: 'shared' })]), srv.keys.test)).body['duplicates']).toBe(1)
  })

  it('when two concurrent batches carry the same id, then it is stored once', async () => {
    const results = await Promise.all([1, 2, 3, 4].map(() => ingest(ingestBody([anEvent({ event_id: 'race' })]))))
    expect(results.map((r) => r.body['duplicates']).sort()).toEqual([0, 1, 1, 1])
    expect(srv.storage.namespace('dev', 'live').events).toHaveLength(1)
  })
})

describe('projects on ingest (events.md E7)', () => {
  it('when a new slug arrives, then the project is auto-created once with one warning and reused', async () => {
    const { body } = await ingest(
      ingestBody([anEvent({ project_id: 'Sales-Pipeline' }), anEvent({ project_id: 'sales-pipeline' })]),
    )
    expect(body['warnings']).toEqual([
      {
        index: 0,
        event_id: expect.any(String),
        code: 'project_auto_created',
        warning: "Auto-created project 'sales-pipeline'",
        project_slug: 'sales-pipeline',
      },
    ])
    const projects = srv.storage.entities.listTenant('projects', 'dev')
    const created = projects.find((p) => p.slug === 'sales-pipeline')!
    expect(created).toMatchObject({ name: 'sales-pipeline', auto_created: true })
    const ids = new Set(srv.storage.namespace('dev', 'live').events.map((e) => e.projectId))
    expect(ids).toEqual(new Set([created.project_id]))
    const second = await ingest(ingestBody([anEvent({ project_id: created.project_id })]))
    expect(second.body['warnings']).toEqual([])
  })

  it('when no project is sent, then the event stores null (never default implicitly)', async () => {
    await ingest(ingestBody([anEvent()]))
    expect(srv.storage.namespace('dev', 'live').events[0]!.projectId).toBeNull()
  })

  it('when the tenant is at max_projects, then new slugs are rejected project_limit_reached', async () => {
    await srv.close()
    srv = await startTestServer({ config: { max_projects: 2 } })
    const { status, body } = await ingest(ingestBody([anEvent({ project_id: 'one' }), anEvent({ project_id: 'two' })]))
    expect(status).toBe(207)
    expect(body['errors']).toEqual([expect.objectContaining({ index: 1, error: 'project_limit_reached' })])
  })

  it('when events name a project, then a project–agent link is recorded per pair and partition', async () => {
    await ingest(ingestBody([anEvent({ project_id: 'p1' }), anEvent({ project_id: 'p1' })]))
    await ingest(ingestBody([anEvent({ project_id: 'p1' })]), srv.keys.test)
    const links = srv.storage.entities.listTenant('project_agents', 'dev').map((l) => [l.agent_id, l.key_type])
    expect(links).toEqual([
      ['agent-1', 'live'],
      ['agent-1', 'test'],
    ])
  })
})

describe('LLM cost at ingest (events.md E93–E94)', () => {
  const call = (data: Record<string, unknown>) =>
    anEvent({ event_type: 'custom', payload: { kind: 'llm_call', data: { name: 'n', ...data } } })
  async function storedData(data: Record<string, unknown>) {
    const { body } = await ingest(ingestBody([call(data)]))
    const events = srv.storage.namespace('dev', 'live').events
    return {
      data: storedEvent(events[events.length - 1]!).payload.data,
      warnings: body['warnings'].map((w: any) => w.code),
    }
  }

  it('when cost is missing and the model matches, then it is estimated with the matched pattern', async () => {
    const { data } = await storedData({
      model: 'claude-sonnet-4-20250514',
      tokens_in: 1200,
      tokens_out: 350,
      cache_read_tokens: 800,
    })
    expect(data).toMatchObject({ cost: 0.00885, cost_source: 'estimated', cost_model_matched: 'claude-sonnet-4' })
  })

  it('when cost is reported, then it is kept as reported', async () => {
    const { data } = await storedData({ model: 'gpt-4o', tokens_in: 1000, tokens_out: 500, cost: 0.5 })
    expect(data).toMatchObject({ cost: 0.5, cost_source: 'reported', cost_model_matched: null })
  })

  it('when the longest prefix wins, then gpt-4o-mini is priced as gpt-4o-mini', async () => {
    const { data } = await storedData({ model: 'gpt-4o-mini-2024-07-18', tokens_in: 1000, tokens_out: 500 })
    expect(data).toMatchObject({ cost: 0.00045, cost_model_matched: 'gpt-4o-mini' })
  })

  it('when the model is unknown, then cost_source is null and the cost stays as sent', async () => {
    const { data } = await storedData({ model: 'o3', tokens_in: 10, tokens_out: 5 })
    expect(data).toMatchObject({ cost_source: null, cost_model_matched: null })
    expect(data.cost).toBeUndefined()
  })

  it('when cost is negative, then it warns invalid_cost and is estimated instead', async () => {
    const { data, warnings } = await storedData({ model: 'openai/gpt-4o', tokens_in: 1000, tokens_out: 1000, cost: -1 })
    expect(warnings).toContain('invalid_cost')
    expect(data).toMatchObject({ cost: 0.0125, cost_source: 'estimated', cost_model_matched: 'gpt-4o' })
  })

  it('when cached tokens exceed input, then tokens_in is raised with a warning', async () => {
    const { data, warnings } = await storedData({
      model: 'gpt-4o',
      tokens_in: 10,
      tokens_out: 0,
      cache_read_tokens: 30,
    })
    expect(warnings).toContain('cache_tokens_exceed_input')
    expect(data.tokens_in).toBe(30)
  })
})

describe('who may ingest (api.md §2.4, events.md E1)', () => {
  it('when a read key ingests, then 403 insufficient_permissions and nothing is stored', async () => {
    const { status, body } = await ingest(ingestBody(1), srv.keys.read)
    expect(status).toBe(403)
    expect(body['error']).toBe('insufficient_permissions')
    expect(srv.storage.namespace('dev', 'live').events).toHaveLength(0)
  })

  it('when no or a bad credential is sent, then 401 authentication_failed', async () => {
    const none = await fetch(`${srv.url}/v1/ingest`, { method: 'POST', body: '{}' })
    expect(none.status).toBe(401)
    expect(((await none.json()) as any).message).toBe(
      'Missing or invalid Authorization header. Use: Bearer {api_key_or_jwt}',
    )
    const bad = await ingest(ingestBody(1), 'hb_live_00000000000000000000000000000000')
    expect(bad).toMatchObject({ status: 401, body: { error: 'authentication_failed', message: 'Invalid API key' } })
  })

  it('when a test key ingests, then events go to the test partition only', async () => {
    await ingest(ingestBody(2), srv.keys.test)
    expect(srv.storage.namespace('dev', 'test').events).toHaveLength(2)
    expect(srv.storage.namespace('dev', 'live').events).toHaveLength(0)
  })
})
