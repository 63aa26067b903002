/** Alerts state, words, budgets and form model (dashboard.md D49–D53), pure (D72). */
import { describe, expect, it } from 'vitest'
import { ApiError } from '../src/lib/api.js'
import { alertSentence, conditionWords, loopWords, scopeWords, spanWords } from '../src/lib/alert-words.js'
import { fieldErrors, numberOrRaw } from '../src/lib/rule-fields.js'
import {
  initialAlertsState,
  openAlerts,
  parseDismissed,
  recentLoops,
  reduceAlerts,
  type AlertRecord,
  type AlertRule,
  type AlertsState,
} from '../src/store/alerts.js'
import {
  budgetLevel,
  budgetStart,
  budgetText,
  canWriteAlerts,
  costConfig,
  fullestBudget,
} from '../src/store/budgets.js'

const NOW = Date.parse('2026-02-15T10:00:00.000Z')
const iso = (msAgo: number) => new Date(NOW - msAgo).toISOString()

function aRule(over: Partial<AlertRule> = {}): AlertRule {
  return {
    rule_id: 'r1',
    name: 'Budget',
    project_id: null,
    condition_type: 'cost_threshold',
    condition_config: { threshold_usd: 10, window_hours: 24, period: 'rolling', agent_id: null, model: null },
    filters: { agent_id: null, environment: null, group: null },
    actions: [],
    cooldown_seconds: 300,
    is_enabled: true,
    last_fired_at: null,
    created_at: iso(0),
    updated_at: iso(0),
    ...over,
  }
}

function aRecord(over: Partial<AlertRecord> = {}): AlertRecord {
  return {
    alert_id: 'a1',
    rule_id: 'r1',
    rule_name: 'Failures',
    project_id: null,
    condition_type: 'task_failed',
    fired_at: iso(60_000),
    condition_snapshot: { agent_id: 'bot', task_id: 't-1', exception_type: 'ValueError', exception_message: 'bad' },
    actions_taken: [],
    related_agent_id: 'bot',
    related_task_id: 't-1',
    resolved_at: null,
    ...over,
  }
}

const apply = (s: AlertsState, ...msgs: Parameters<typeof reduceAlerts>[1][]) => msgs.reduce(reduceAlerts, s)

describe('condition and alerts in words (D49, D50, D52)', () => {
  it('cost_threshold reads like the spec example', () => {
    const rule = aRule({ condition_config: { threshold_usd: 10, window_hours: 24, agent_id: 'X' } })
    expect(conditionWords(rule)).toBe('Cost ≥ $10 per rolling 24 h · agent X')
    expect(conditionWords(aRule({ condition_config: { threshold_usd: 2.5, period: 'calendar_day' } }))).toBe(
      'Cost ≥ $2.50 per UTC day',
    )
  })

  it('every condition type has words, with defaults when the config is empty', () => {
    const words = (condition_type: AlertRule['condition_type']) =>
      conditionWords({ condition_type, condition_config: {} })
    expect(words('agent_stuck')).toBe("Any agent is stuck (the agent's own threshold)")
    expect(words('heartbeat_lost')).toBe('No heartbeat for 5 min')
    expect(words('task_failed')).toBe('A task fails')
    expect(words('duration_exceeded')).toBe('A task takes longer than 1m0s')
    expect(words('error_rate')).toBe('Action error rate ≥ 50% over 1 h (at least 5 actions)')
    expect(words('loop_detected')).toBe('5+ identical LLM calls or actions within 5 min')
    expect(words('custom_event')).toBe('Any event')
    expect(words('approval_waiting')).toBe('An approval waits longer than 10 min')
    expect(words('escalation_open')).toBe('An escalation stays open longer than 10 min')
  })

  it('spans: seconds, minutes, hours, days from two days', () => {
    expect([spanWords(30), spanWords(300), spanWords(86_400), spanWords(172_800), spanWords(90)]).toEqual([
      '30 s',
      '5 min',
      '24 h',
      '2 d',
      '1m30s',
    ])
  })

  it('scope names the project, filters, or all agents', () => {
    const projects = [{ project_id: 'p1', name: 'Sales', slug: 'sales' }]
    expect(scopeWords(aRule(), projects)).toBe('All agents')
    expect(
      scopeWords(aRule({ project_id: 'p1', filters: { agent_id: null, environment: 'prod', group: null } }), projects),
    ).toBe('project Sales · env prod')
  })

  it('records become sentences; zero counts stay (D22)', () => {
    expect(alertSentence(aRecord())).toBe('Failures: bot failed t-1 — ValueError: bad')
    const loop = aRecord({
      rule_name: 'Loops',
      condition_type: 'loop_detected',
      condition_snapshot: { agent_id: 'scout', name: 'plan', model: 'gpt-4o', count: 37, window_seconds: 300 },
    })
    expect(loopWords(loop)).toBe('scout repeated plan → gpt-4o 37× in 5 min')
    const rate = aRecord({
      condition_type: 'error_rate',
      condition_snapshot: { error_rate: 0, failed: 0, finished: 0 },
    })
    expect(alertSentence(rate)).toBe('Failures: Error rate 0% (0 of 0 actions)')
  })
})

describe('alerts reducer and open alerts (D50)', () => {
  it('alert.fired prepends to matching history, recent and live, and bumps last_fired_at', () => {
    const page = { items: [aRecord({ alert_id: 'old', fired_at: iso(3_600_000) })], cursor: null, hasMore: false }
    let s = apply(
      initialAlertsState(),
      { type: 'rules/loaded', rules: [aRule({ rule_id: 'r1' })], at: NOW },
      { type: 'history/loaded', page, append: false, at: NOW },
    )
    s = reduceAlerts(s, { type: 'fired', record: aRecord({ alert_id: 'new', fired_at: iso(0) }) })
    expect(s.history.data?.items.map((r) => r.alert_id)).toEqual(['new', 'old'])
    expect(s.recent.map((r) => r.alert_id)).toEqual(['new'])
    expect(s.live.map((r) => r.alert_id)).toEqual(['new'])
    expect(s.rules.data?.[0]?.last_fired_at).toBe(iso(0))
  })

  it('a push outside the history filter is not prepended', () => {
    let s = apply(
      initialAlertsState(),
      { type: 'history/filter', filter: { ruleId: 'other', since: null, until: null } },
      { type: 'history/loaded', page: { items: [], cursor: null, hasMore: false }, append: false, at: NOW },
    )
    s = reduceAlerts(s, { type: 'fired', record: aRecord() })
    expect(s.history.data?.items).toEqual([])
  })

  it('a refetch of recent alerts keeps pushes that raced it', () => {
    let s = reduceAlerts(initialAlertsState(), { type: 'fired', record: aRecord({ alert_id: 'pushed' }) })
    s = reduceAlerts(s, { type: 'recent/loaded', records: [aRecord({ alert_id: 'fetched', fired_at: iso(120_000) })] })
    expect(s.recent.map((r) => r.alert_id)).toEqual(['pushed', 'fetched'])
  })

  it('a recent refetch adds newer matching alerts to the loaded history and keeps its pages', () => {
    const older = Array.from({ length: 3 }, (_, i) => aRecord({ alert_id: `old${i}`, fired_at: iso(3_600_000 + i) }))
    let s = reduceAlerts(initialAlertsState(), {
      type: 'history/loaded',
      page: { items: older, cursor: 'c', hasMore: true },
      append: false,
      at: NOW,
    })
    s = reduceAlerts(s, {
      type: 'recent/loaded',
      records: [
        aRecord({ alert_id: 'new', fired_at: iso(0) }),
        ...older,
        aRecord({ alert_id: 'gap', fired_at: iso(9e6) }),
      ],
    })
    expect(s.history.data?.items.map((r) => r.alert_id)).toEqual(['new', 'old0', 'old1', 'old2'])
    expect(s.history.data?.hasMore).toBe(true)
  })

  it('open = not dismissed, not resolved, under 24 h, subject not visibly recovered', () => {
    const s = {
      recent: [
        aRecord({ alert_id: 'open' }),
        aRecord({ alert_id: 'dismissed' }),
        aRecord({ alert_id: 'resolved', resolved_at: iso(1000) }),
        aRecord({ alert_id: 'old', fired_at: iso(24 * 3600_000 + 1) }),
        aRecord({ alert_id: 'recovered', condition_type: 'agent_stuck', related_agent_id: 'bot' }),
        aRecord({ alert_id: 'still-stuck', condition_type: 'agent_stuck', related_agent_id: 'scout' }),
      ],
      dismissed: ['dismissed'],
    }
    const agents = [
      { agent_id: 'bot', derived_status: 'idle' },
      { agent_id: 'scout', derived_status: 'stuck' },
    ]
    expect(openAlerts(s, NOW, agents).map((r) => r.alert_id)).toEqual(['open', 'still-stuck'])
  })

  it('loop banner: loop alerts of the last 15 min only (D52)', () => {
    const s = {
      recent: [
        aRecord({ alert_id: 'fresh', condition_type: 'loop_detected', fired_at: iso(14 * 60_000) }),
        aRecord({ alert_id: 'stale', condition_type: 'loop_detected', fired_at: iso(16 * 60_000) }),
        aRecord({ alert_id: 'other' }),
      ],
      dismissed: [],
    }
    expect(recentLoops(s, NOW).map((r) => r.alert_id)).toEqual(['fresh'])
  })

  it('dismissals parse defensively and deduplicate', () => {
    expect(parseDismissed('["a",1,"b"]')).toEqual(['a', 'b'])
    expect(parseDismissed('{"a":1}')).toEqual([])
    expect(parseDismissed('not json')).toEqual([])
    expect(parseDismissed(null)).toEqual([])
    const s = apply(
      initialAlertsState(),
      { type: 'dismiss', alertIds: ['a'] },
      { type: 'dismiss', alertIds: ['a', 'b'] },
    )
    expect(s.dismissed).toEqual(['a', 'b'])
  })
})

describe('budgets (D53)', () => {
  it('period start: rolling window, UTC day, UTC month', () => {
    const now = Date.parse('2026-02-15T10:30:00.000Z')
    expect(budgetStart(costConfig(aRule()), now)).toBe('2026-02-14T10:30:00.000Z')
    expect(budgetStart(costConfig(aRule({ condition_config: { period: 'calendar_day' } })), now)).toBe(
      '2026-02-15T00:00:00.000Z',
    )
    expect(budgetStart(costConfig(aRule({ condition_config: { period: 'calendar_month' } })), now)).toBe(
      '2026-02-01T00:00:00.000Z',
    )
  })

  it('colours: green under 75 %, amber under 100 %, else red; text as the spec', () => {
    expect([budgetLevel(0.7499), budgetLevel(0.75), budgetLevel(0.9999), budgetLevel(1)]).toEqual([
      'ok',
      'warn',
      'warn',
      'over',
    ])
    expect(
      budgetText(8.12, costConfig(aRule({ condition_config: { threshold_usd: 10, period: 'calendar_day' } }))),
    ).toBe('$8.12 of $10.00 today')
  })

  it('the fullest enabled budget wins; disabled rules and failed figures are skipped', () => {
    const rules = [
      aRule({ rule_id: 'a', condition_config: { threshold_usd: 10 } }),
      aRule({ rule_id: 'b', condition_config: { threshold_usd: 1 } }),
      aRule({ rule_id: 'c', condition_config: { threshold_usd: 1 }, is_enabled: false }),
      aRule({ rule_id: 'd', condition_config: { threshold_usd: 0.1 } }),
    ]
    const budgets = {
      a: { spent: 5, at: 0 },
      b: { spent: 0.6, at: 0 },
      c: { spent: 5, at: 0 },
      d: { error: 'boom', at: 0 },
    }
    expect(fullestBudget(rules, budgets)?.rule.rule_id).toBe('b')
    expect(fullestBudget([], budgets)).toBeNull()
  })
})

describe('rule form model (D49) and write permission (api.md §2.4)', () => {
  it('numbers: blank → default, numeric → number, anything else sent as typed for the server to explain', () => {
    expect([numberOrRaw(''), numberOrRaw(' 12.5 '), numberOrRaw('ten')]).toEqual([undefined, 12.5, 'ten'])
  })

  it('envelope field errors lose the body. prefix', () => {
    const e = new ApiError(400, 'validation_error', 'Request validation failed', {
      fields: [{ field: 'body.condition_config.threshold_usd', message: 'Too small' }, { nope: 1 }],
    })
    expect(fieldErrors(e)).toEqual([{ field: 'condition_config.threshold_usd', message: 'Too small' }])
    expect(fieldErrors(new Error('x'))).toEqual([])
  })

  it('read and test keys and viewers cannot write; live keys and other roles can', () => {
    expect(canWriteAlerts({ kind: 'key', key: 'hb_read_x' }, null)).toBe(false)
    expect(canWriteAlerts({ kind: 'key', key: 'hb_test_x' }, null)).toBe(false)
    expect(canWriteAlerts({ kind: 'key', key: 'hb_live_x' }, null)).toBe(true)
    expect(canWriteAlerts({ kind: 'session', token: 't' }, '{"role":"viewer"}')).toBe(false)
    expect(canWriteAlerts({ kind: 'session', token: 't' }, '{"role":"member"}')).toBe(true)
  })
})
