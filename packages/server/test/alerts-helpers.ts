import { expect } from 'vitest'
import { anEvent, ingestBody, type EventOverrides, type TestServer } from '../src/testing/index.js'

export const T0 = Date.parse('2026-02-15T10:00:00Z')

let counter = 0
/** Events `stepMs` apart ending at `end` (default T0), each with a fresh id. */
export function events(list: EventOverrides[], end = T0, stepMs = 1000) {
  return list.map((e, i) =>
    anEvent({
      event_id: `ev-${counter++}`,
      timestamp: new Date(end - (list.length - 1 - i) * stepMs).toISOString(),
      ...e,
    }),
  )
}

export const llmCall = (data: Record<string, unknown> = {}): EventOverrides => ({
  event_type: 'custom',
  payload: {
    kind: 'llm_call',
    data: {
      name: 'plan',
      model: 'gpt-4o',
      prompt_preview: 'Plan the next step',
      tokens_in: 10,
      tokens_out: 5,
      ...data,
    },
  },
})

export async function send(srv: TestServer, list: unknown[], envelope: Record<string, unknown> = {}, key?: string) {
  const res = await srv.post('/v1/ingest', ingestBody(list as never, envelope), key)
  expect(res.status).toBe(200)
}

export async function call(srv: TestServer, method: string, path: string, body?: unknown, key?: string) {
  const res = await fetch(srv.url + path, {
    method,
    headers: { authorization: `Bearer ${key ?? srv.keys.live}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const text = await res.text()
  return { status: res.status, body: text === '' ? null : JSON.parse(text) }
}

export async function createRule(srv: TestServer, body: Record<string, unknown>) {
  const res = await call(srv, 'POST', '/v1/alerts/rules', { name: 'rule', ...body })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body as Record<string, any>
}

export async function history(srv: TestServer, query = ''): Promise<any[]> {
  const res = await call(srv, 'GET', `/v1/alerts/history${query}`)
  expect(res.status).toBe(200)
  return res.body.data
}

export const services = (srv: TestServer) => srv.running.app.services

/** The timer's work, run by hand. */
export const evaluate = (srv: TestServer) => services(srv).alerts.evaluator.evaluateAll()

/** Waits for every queued webhook delivery. */
export const settle = (srv: TestServer) => services(srv).alerts.sender.settled()

export async function eventually(check: () => Promise<void> | void, timeoutMs = 3000): Promise<void> {
  const started = Date.now()
  for (;;) {
    try {
      await check()
      return
    } catch (error) {
      if (Date.now() - started > timeoutMs) throw error
      await new Promise((r) => setTimeout(r, 20))
    }
  }
}
