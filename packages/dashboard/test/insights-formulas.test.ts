import { describe, expect, it } from 'vitest'
import {
  costSpike,
  errorBurst,
  health,
  modelImbalance,
  readiness,
  roi,
  stuckFleet,
  throughputDrop,
  tokenWaste,
  trend,
  verdict,
} from '../src/insights/formulas.js'

describe('insight formulas (D57)', () => {
  it('trend needs 4 buckets; ±2 % bands; nulls ignored', () => {
    expect(trend([1, 2, 3])).toBeNull()
    expect(trend([10, 10, 10.1, 10.1])).toBe('flat')
    expect(trend([10, 10, 11, 11])).toBe('up')
    expect(trend([10, null, 10, 9, 9])).toBe('down')
  })

  it('verdict: ≥ 3 good green, 2 amber, else red', () => {
    expect(verdict({ throughput: 'up', errors: 'down', costPerTask: 'down', duration: 'up' })).toBe('green')
    expect(verdict({ throughput: 'up', errors: 'down', costPerTask: 'up', duration: 'up' })).toBe('amber')
    expect(verdict({ throughput: 'down', errors: 'up', costPerTask: null, duration: 'flat' })).toBe('red')
  })

  it('detectors', () => {
    expect(costSpike([1, 1, 1, 3.5])).toBe('error')
    expect(costSpike([1, 1, 1, 2.5])).toBe('warn')
    expect(costSpike([1, 1, 5])).toBeNull()
    expect(errorBurst([9, 0, 2, 3])).toBe('error')
    expect(errorBurst([0, 1, 1, 1])).toBe('warn')
    expect(stuckFleet(10, 3, 0)).toBe('error')
    expect(stuckFleet(4, 0, 3)).toBe('error')
    expect(stuckFleet(4, 1, 0)).toBe('warn')
    expect(stuckFleet(4, 0, 0)).toBeNull()
    expect([tokenWaste(21), tokenWaste(11), tokenWaste(10), tokenWaste(null)]).toEqual(['error', 'warn', null, null])
    expect(throughputDrop([10, 10, 10, 4, 4, 4])).toBe('error')
    expect(throughputDrop([10, 10, 10, 7, 7, 7])).toBe('warn')
    expect(throughputDrop([10, 10, 10, 10, 10])).toBeNull()
    expect(modelImbalance([95, 5])).toBe('warn')
    expect(modelImbalance([100])).toBeNull()
  })

  it('health deducts per stuck, error, success below 90, issues (max 20), no agents; clamps', () => {
    expect(health({ agents: 5, stuck: 0, error: 0, successRate: 100, activeIssues: 0 })).toMatchObject({
      score: 100,
      label: 'Healthy',
    })
    const h = health({ agents: 5, stuck: 1, error: 1, successRate: 80, activeIssues: 5 })
    expect(h.score).toBe(100 - 15 - 10 - 5 - 20)
    expect(h.label).toBe('Needs attention')
    expect(h.deductions).toHaveLength(4)
    expect(health({ agents: 0, stuck: 5, error: 0, successRate: null, activeIssues: 0 })).toMatchObject({
      score: 0,
      label: 'Critical',
    })
  })

  it('readiness: 7 checks', () => {
    const ok = {
      total: 2,
      online: 2,
      stuck: 0,
      successRate: 95,
      activeIssues: 0,
      costPerTask: 0.5,
      lastEventAgeSeconds: 10,
    }
    expect(readiness(ok)).toEqual({ passed: 7, label: 'Ready to scale' })
    expect(readiness({ ...ok, total: 1, online: 1, activeIssues: 1 }).label).toBe('Almost ready')
    expect(readiness({ ...ok, stuck: 1, successRate: 50, costPerTask: null }).label).toBe('Not ready yet')
  })

  it('ROI: manual = rate ÷ 60 × minutes × completed; multiple — at zero AI cost', () => {
    expect(roi({ tasksCompleted: 10, aiCost: 5 })).toEqual({ manual: 375, ai: 5, savings: 370, multiple: 75 })
    expect(roi({ tasksCompleted: 10, aiCost: 0 }).multiple).toBeNull()
  })
})
