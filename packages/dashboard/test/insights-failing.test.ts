import { describe, expect, it } from 'vitest'
import { failedPlanSteps, failingActions } from '../src/insights/failing.js'
import { wireEvent } from './events.js'

const failure = (action: string, type: string | null, nested = false) =>
  wireEvent({
    event_type: 'action_failed',
    payload: nested
      ? { data: { action_name: action, exception_type: type } }
      : { action_name: action, ...(type === null ? {} : { exception_type: type }) },
  })

describe('Insights failing actions and plan steps (D56)', () => {
  it('groups action failures by action name and exception type, most frequent first', () => {
    const rows = failingActions([
      failure('fetch_crm', 'ConnectionError'),
      failure('fetch_crm', 'ConnectionError', true),
      failure('fetch_crm', 'AuthError'),
      failure('send_mail', null),
      wireEvent({ event_type: 'task_failed', payload: { exception_type: 'X' } }),
    ])
    expect(rows).toEqual([
      { action: 'fetch_crm', exception_type: 'ConnectionError', count: 2 },
      { action: 'fetch_crm', exception_type: 'AuthError', count: 1 },
      { action: 'send_mail', exception_type: '—', count: 1 },
    ])
  })

  it('counts failed plan steps by their text, ignoring other step actions', () => {
    const step = (action: string, summary: string | null, index = 0) =>
      wireEvent({
        payload: { kind: 'plan_step', ...(summary === null ? {} : { summary }), data: { step_index: index, action } },
      })
    expect(
      failedPlanSteps([
        step('failed', 'Look up account'),
        step('failed', 'Look up account'),
        step('completed', 'Look up account'),
        step('failed', null, 2),
      ]),
    ).toEqual([
      { step: 'Look up account', count: 2 },
      { step: 'Step 3', count: 1 },
    ])
  })
})
