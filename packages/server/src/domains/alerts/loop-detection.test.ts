import type { JsonObject } from '@hiveboard/shared'
import { describe, expect, it } from 'vitest'
import type { StoredEvent } from '../../projection/stored-event.js'
import { canonicalJson, loopSignature } from './loop-detection.js'

const event = (overrides: Partial<StoredEvent>): StoredEvent =>
  ({ event_type: 'custom', payload: null, ...overrides }) as StoredEvent

describe('canonicalJson', () => {
  it('when keys differ only in order, then the text is the same', () => {
    expect(canonicalJson({ b: [1, { d: 1, c: 2 }], a: null })).toBe(canonicalJson({ a: null, b: [1, { c: 2, d: 1 }] }))
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}')
  })
})

describe('loopSignature (E102)', () => {
  const llm = (data: JsonObject) => event({ payload: { kind: 'llm_call', data } })

  it('when two llm calls share name, model and prompt preview, then they share a signature', () => {
    const a = loopSignature(llm({ name: 'n', model: 'm', prompt_preview: 'p', tokens_in: 1 }))
    const b = loopSignature(llm({ name: 'n', model: 'm', prompt_preview: 'p', tokens_in: 99 }))
    expect(a).toEqual(b)
    expect(a).toMatchObject({ match: 'llm_call', name: 'n', model: 'm' })
    expect(loopSignature(llm({ name: 'n', model: 'm', prompt_preview: 'q' }))?.hash).not.toBe(a?.hash)
  })

  it('when the preview is missing, then tokens_in stands in for it', () => {
    const a = loopSignature(llm({ name: 'n', model: 'm', tokens_in: 5 }))
    expect(a?.hash).toBe(loopSignature(llm({ name: 'n', model: 'm', tokens_in: 5 }))?.hash)
    expect(a?.hash).not.toBe(loopSignature(llm({ name: 'n', model: 'm', tokens_in: 6 }))?.hash)
  })

  it('when a terminal action has args (payload or data), then it is signed; without args or not terminal, null', () => {
    const done = (payload: Record<string, unknown>, type: StoredEvent['event_type'] = 'action_completed') =>
      loopSignature(event({ event_type: type, payload: payload as StoredEvent['payload'] }))
    expect(done({ action_name: 'f', args: { a: 1, b: 2 } })?.hash).toBe(
      done({ action_name: 'f', data: { args: { b: 2, a: 1 } } })?.hash,
    )
    expect(done({ action_name: 'f', args: { a: 1 } }, 'action_failed')).toMatchObject({
      match: 'action',
      name: 'f',
      model: null,
    })
    expect(done({ action_name: 'f' })).toBeNull()
    expect(done({ action_name: 'f', args: {} }, 'action_started')).toBeNull()
  })
})
