import { describe, expect, it } from 'vitest'
import {
  formatAgo,
  formatAgoPhrase,
  formatCost,
  formatDuration,
  formatPercent,
  formatTokens,
  heartbeatHealth,
  modelTag,
  taskStatusText,
} from '../src/lib/format.js'

describe('format (D22)', () => {
  it('heartbeat health: given value wins; else null dead, < 60 s fresh, ≤ threshold stale, else dead', () => {
    expect(heartbeatHealth('stale', 5, 300)).toBe('stale')
    expect(heartbeatHealth(null, null, 300)).toBeNull()
    expect(heartbeatHealth(null, 59, 300)).toBe('fresh')
    expect(heartbeatHealth(null, 300, 300)).toBe('stale')
    expect(heartbeatHealth(null, 301, 300)).toBe('dead')
    expect(heartbeatHealth('none', 10, 300)).toBeNull()
  })

  it('the ago phrase never says "just now ago" (regression: "Updated just now ago" on Insights)', () => {
    expect([1, 12, 600, null].map(formatAgoPhrase)).toEqual(['just now', '12s ago', '10m ago', '—'])
  })

  it('ago: just now, Ns, Nm, Nh, Nd; null → —', () => {
    expect([4.9, 5, 59, 60, 3599, 3600, 86400, null].map(formatAgo)).toEqual([
      'just now',
      '5s',
      '59s',
      '1m',
      '59m',
      '1h',
      '1d',
      '—',
    ])
  })

  it('duration: Nms, N.Ns, XmYs, XhYm; zero stays zero', () => {
    expect([0, 999, 1500, 90_000, 3_723_000, null].map(formatDuration)).toEqual([
      '0ms',
      '999ms',
      '1.5s',
      '1m30s',
      '1h2m',
      '—',
    ])
  })

  it('tokens: 999, 1.5K, 2.3M', () => {
    expect([0, 999, 1500, 1000, 2_300_000, null].map(formatTokens)).toEqual(['0', '999', '1.5K', '1K', '2.3M', '—'])
  })

  it('cost: 2 decimals and <$0.01 in ribbons, 4 in tables, ~ when estimated, zero kept', () => {
    expect(formatCost(12.345, 'ribbon')).toBe('$12.35')
    expect(formatCost(0.004, 'ribbon')).toBe('<$0.01')
    expect(formatCost(0, 'ribbon')).toBe('$0.00')
    expect(formatCost(0.0123, 'table')).toBe('$0.0123')
    expect(formatCost(0.0123, 'table', true)).toBe('~$0.0123')
    expect(formatCost(null)).toBe('—')
  })

  it('percents as sent; model tags drop an 8+ digit date suffix', () => {
    expect(formatPercent(90)).toBe('90%')
    expect(formatPercent(0)).toBe('0%')
    expect(modelTag('claude-3-5-sonnet-20241022')).toBe('claude-3-5-sonnet')
    expect(modelTag('gpt-4o-2024-08-06')).toBe('gpt-4o-2024-08-06')
    expect(modelTag(null)).toBe('—')
  })

  it('task statuses are text + glyph', () => {
    expect(taskStatusText('completed')).toBe('✓ completed')
    expect(taskStatusText('escalated')).toBe('⚑ escalated')
  })
})

describe('stuck banner text (D51)', async () => {
  const { stuckText } = await import('../src/views/banners.js')
  const a = { agent_id: 'scout', heartbeat_age_seconds: 720, stuck_threshold_seconds: 300, current_task_id: 't-9' }
  it('one agent is named with age, threshold and task; several are counted', () => {
    expect(stuckText([a])).toBe('scout is stuck — no heartbeat for 12m (threshold 5m0s) · task t-9')
    expect(stuckText([a, { ...a, agent_id: 'b' }, { ...a, agent_id: 'c' }])).toBe('3 agents stuck')
    expect(stuckText([])).toBeNull()
  })
})

describe('heartbeat intervals (D31)', async () => {
  const { beatIntervals, meanInterval } = await import('../src/views/heartbeat.js')
  it('intervals between consecutive beats, newest first; mean ignores the oldest', () => {
    const beats = ['2026-02-15T10:01:00Z', '2026-02-15T10:00:30Z', '2026-02-15T10:00:00Z'].map((timestamp) => ({
      timestamp,
    }))
    expect(beatIntervals(beats)).toEqual([30_000, 30_000, null])
    expect(meanInterval(beatIntervals(beats))).toBe(30_000)
    expect(meanInterval([null])).toBeNull()
  })
})
