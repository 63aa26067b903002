import { describe, expect, it } from 'vitest'
import {
  DEFAULT_URL_STATE,
  parseUrlState,
  serializeUrlState,
  timelinePermalink,
  type UrlState,
} from '../src/lib/url.js'

describe('URL state (D19)', () => {
  it('when empty, then the defaults', () => {
    expect(parseUrlState('')).toEqual(DEFAULT_URL_STATE)
    expect(serializeUrlState(DEFAULT_URL_STATE)).toBe('')
  })

  it('when only task is given, then view=task', () => {
    expect(parseUrlState('?task=t-1').view).toBe('task')
  })

  it('when values are unknown, then defaults', () => {
    const s = parseUrlState('?view=nope&range=2y&feed=x&mode=zigzag&tab=what&sev=loud')
    expect(s).toMatchObject({ view: 'mission', range: '1h', feed: 'all', mode: 'tree', tab: 'tasks', sev: null })
  })

  it('cost view defaults to 24h', () => {
    expect(parseUrlState('?view=cost').range).toBe('24h')
  })

  const cases: Partial<UrlState>[] = [
    { view: 'agent', agent: 'lead <bot>', tab: 'pipeline' },
    { view: 'task', task: 'task/1 & 2', run: 'r-9', mode: 'flat' },
    {
      view: 'mission',
      agent: 'a',
      status: 'stuck',
      env: 'production',
      project: 'p1',
      range: '7d',
      feed: 'errors',
      sev: 'warn',
    },
    { view: 'cost', range: '30d' },
    { view: 'pipeline' },
    { view: 'alerts' },
  ]
  it.each(cases)('round trips %j', (patch) => {
    const base = parseUrlState(patch.view === 'cost' ? '?view=cost' : '')
    const state = { ...base, ...patch }
    expect(parseUrlState(serializeUrlState(state))).toEqual(state)
  })

  it('permalinks carry view, task and run only', () => {
    expect(timelinePermalink('https://h.example', 't 1', 'r2')).toBe(
      'https://h.example/static/index.html?view=task&task=t+1&run=r2',
    )
  })
})
