import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../src/testing/index.js'
import { llm } from './analytics-fixture.js'

interface Json {
  [key: string]: unknown
}

let srv: TestServer
beforeEach(async () => {
  srv = await startTestServer()
})
afterEach(async () => srv.close())

const send = (method: string, path: string, body?: unknown, key?: string) =>
  fetch(srv.url + path, {
    method,
    headers: { authorization: `Bearer ${key ?? srv.keys.live}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })

async function callCost(data: Record<string, unknown>): Promise<Json> {
  const res = await srv.post('/v1/ingest', { envelope: { agent_id: 'p' }, events: [llm(data)] })
  expect(res.status).toBe(200)
  const calls = (await (await srv.get('/v1/llm-calls?limit=1')).json()) as { data: Json[] }
  return calls.data[0] as Json
}

describe('pricing', () => {
  it('when listing defaults, then the built-in table is sorted by provider then pattern', async () => {
    const body = (await (await srv.get('/v1/admin/pricing?source=default')).json()) as { data: Json[] }
    expect(body.data).toHaveLength(24)
    expect(body.data[0]).toMatchObject({ provider: 'anthropic', model_pattern: 'claude-3-5-haiku', source: 'default' })
    expect(body.data.find((e) => e['model_pattern'] === 'gpt-4o')).toMatchObject({ input_per_m: 2.5, output_per_m: 10 })
  })

  it('when an override shadows a default, then later ingests use it and the old cost never changes', async () => {
    const before = await callCost({ model: 'gpt-4o-2024', tokens_in: 1000, tokens_out: 500 })
    expect(before).toMatchObject({ cost: 0.0075, cost_source: 'estimated', cost_model_matched: 'gpt-4o' })
    const created = await send('POST', '/v1/admin/pricing', {
      model_pattern: 'GPT-4o',
      provider: 'openai',
      input_per_m: 1,
      output_per_m: 2,
    })
    expect(created.status).toBe(201)
    expect(await created.json()).toMatchObject({ model_pattern: 'gpt-4o', source: 'override' })
    expect(
      (
        await send('POST', '/v1/admin/pricing', {
          model_pattern: 'gpt-4o',
          provider: 'x',
          input_per_m: 1,
          output_per_m: 1,
        })
      ).status,
    ).toBe(409)
    // 1000 × 1 + 500 × 2 = 2 000 µ$; a tenant gpt-4o entry does not capture gpt-4o-mini.
    expect(await callCost({ model: 'gpt-4o-2024', tokens_in: 1000, tokens_out: 500 })).toMatchObject({ cost: 0.002 })
    expect(await callCost({ model: 'gpt-4o-mini', tokens_in: 1000, tokens_out: 500 })).toMatchObject({ cost: 0.00045 })
    const cost = (await (await srv.get('/v1/cost')).json()) as Json
    expect(cost['total_cost']).toBe(0.00995)
    const deleted = await send('DELETE', '/v1/admin/pricing/gpt-4o')
    expect(await deleted.json()).toEqual({ status: 'deleted', model_pattern: 'gpt-4o', reverted_to_default: true })
    expect(await callCost({ model: 'gpt-4o', tokens_in: 1000, tokens_out: 500 })).toMatchObject({ cost: 0.0075 })
  })

  it('when cached tokens have a price, then they are priced once at that price', async () => {
    const base = {
      model: 'claude-sonnet-4',
      tokens_in: 1200,
      cache_read_tokens: 800,
      tokens_out: 350,
      reasoning_tokens: 100,
    }
    expect(await callCost(base)).toMatchObject({ cost: 0.00885, cache_read_tokens: 800, reasoning_tokens: 100 })
    const put = await send('PUT', '/v1/admin/pricing/claude-sonnet-4', { cached_input_per_m: 0.3 })
    expect(put.status).toBe(200)
    expect(await put.json()).toMatchObject({
      provider: 'anthropic',
      input_per_m: 3,
      cached_input_per_m: 0.3,
      source: 'override',
    })
    expect(await callCost(base)).toMatchObject({ cost: 0.00669 })
  })

  it('when a reported cost is present, then it is never re-estimated', async () => {
    expect(await callCost({ model: 'gpt-4o', tokens_in: 1000, tokens_out: 500, cost: 0.1 })).toMatchObject({
      cost: 0.1,
      cost_source: 'reported',
      cost_model_matched: null,
    })
  })

  it('when callers lack the role or the pattern is unknown, then writes are refused', async () => {
    const body = { model_pattern: 'my-model', provider: 'me', input_per_m: 1, output_per_m: 1 }
    expect((await send('POST', '/v1/admin/pricing', body, srv.keys.read)).status).toBe(403)
    expect((await send('POST', '/v1/admin/pricing', body, srv.keys.test)).status).toBe(403)
    expect((await send('POST', '/v1/admin/pricing', { ...body, model_pattern: '-bad' })).status).toBe(400)
    expect((await send('POST', '/v1/admin/pricing', { ...body, input_per_m: 10_001 })).status).toBe(400)
    expect((await send('DELETE', '/v1/admin/pricing/gpt-4')).status).toBe(400)
    expect((await send('DELETE', '/v1/admin/pricing/nope')).status).toBe(404)
    expect((await send('PUT', '/v1/admin/pricing/nope', { input_per_m: 1 })).status).toBe(404)
    expect((await srv.get('/v1/admin/pricing', srv.keys.read)).status).toBe(200)
  })
})
