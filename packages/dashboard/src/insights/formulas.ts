/** Insights formulas (dashboard.md D57): pure; the server returns inputs only. */

export type Trend = 'up' | 'down' | 'flat' | null
export type Level = 'error' | 'warn' | null

const mean = (xs: readonly number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length)

/** Second-half vs first-half bucket mean (≥ 4 buckets); up > +2 %, down < −2 %. */
export function trend(values: readonly (number | null)[]): Trend {
  const xs = values.filter((v): v is number => v !== null)
  if (xs.length < 4) return null
  const half = Math.floor(xs.length / 2)
  const first = mean(xs.slice(0, half))
  const second = mean(xs.slice(xs.length - half))
  if (first === 0) return second > 0 ? 'up' : 'flat'
  const change = (second - first) / Math.abs(first)
  return change > 0.02 ? 'up' : change < -0.02 ? 'down' : 'flat'
}

/** Verdict from four trends: throughput up, errors / cost per task / duration down are good. */
export function verdict(t: {
  throughput: Trend
  errors: Trend
  costPerTask: Trend
  duration: Trend
}): 'green' | 'amber' | 'red' {
  const good = [t.throughput === 'up', t.errors === 'down', t.costPerTask === 'down', t.duration === 'down'].filter(
    Boolean,
  ).length
  return good >= 3 ? 'green' : good === 2 ? 'amber' : 'red'
}

export function costSpike(costs: readonly number[]): Level {
  if (costs.length < 4) return null
  const last = costs[costs.length - 1] ?? 0
  const others = mean(costs.slice(0, -1))
  if (others === 0) return null
  const ratio = last / others
  return ratio > 3 ? 'error' : ratio > 2 ? 'warn' : null
}

export function errorBurst(errorCounts: readonly number[]): Level {
  const sum = errorCounts.slice(-3).reduce((a, b) => a + b, 0)
  return sum >= 5 ? 'error' : sum >= 3 ? 'warn' : null
}

export function stuckFleet(total: number, stuck: number, error: number): Level {
  if (stuck >= 3 || (total > 0 && error / total > 0.5)) return 'error'
  return stuck >= 1 ? 'warn' : null
}

export function tokenWaste(tokenRatio: number | null): Level {
  if (tokenRatio === null) return null
  return tokenRatio > 20 ? 'error' : tokenRatio > 10 ? 'warn' : null
}

export function throughputDrop(values: readonly number[]): Level {
  if (values.length < 6) return null
  const half = Math.floor(values.length / 2)
  const first = mean(values.slice(0, half))
  const second = mean(values.slice(values.length - half))
  if (first === 0) return null
  const drop = (first - second) / first
  return drop > 0.5 ? 'error' : drop > 0.25 ? 'warn' : null
}

export function modelImbalance(shares: readonly number[]): Level {
  return shares.length >= 2 && Math.max(...shares) > 90 ? 'warn' : null
}

export interface HealthInput {
  agents: number
  stuck: number
  error: number
  successRate: number | null
  activeIssues: number
}

export function health(i: HealthInput): {
  score: number
  label: 'Healthy' | 'Needs attention' | 'Critical'
  deductions: string[]
} {
  const d: [string, number][] = []
  if (i.stuck > 0) d.push([`${i.stuck} stuck`, 15 * i.stuck])
  if (i.error > 0) d.push([`${i.error} in error`, 10 * i.error])
  if (i.successRate !== null && i.successRate < 90)
    d.push([`success ${i.successRate}%`, Math.round((90 - i.successRate) * 0.5)])
  if (i.activeIssues > 0) d.push([`${i.activeIssues} active issues`, Math.min(20, 5 * i.activeIssues)])
  if (i.agents === 0) d.push(['no agents', 50])
  const score = Math.max(0, Math.min(100, 100 - d.reduce((s, [, v]) => s + v, 0)))
  const label = score >= 80 ? 'Healthy' : score >= 50 ? 'Needs attention' : 'Critical'
  return { score, label, deductions: d.map(([t, v]) => `−${v} ${t}`) }
}

export interface ReadinessInput {
  total: number
  online: number
  stuck: number
  successRate: number | null
  activeIssues: number
  costPerTask: number | null
  lastEventAgeSeconds: number | null
}

export function readiness(i: ReadinessInput): {
  passed: number
  label: 'Ready to scale' | 'Almost ready' | 'Not ready yet'
} {
  const checks = [
    i.total >= 1 && i.online === i.total,
    i.stuck === 0,
    i.successRate !== null && i.successRate >= 90,
    i.activeIssues === 0,
    i.costPerTask !== null && i.costPerTask < 1,
    i.total >= 2,
    i.lastEventAgeSeconds !== null && i.lastEventAgeSeconds <= 300,
  ]
  const passed = checks.filter(Boolean).length
  return { passed, label: passed === 7 ? 'Ready to scale' : passed >= 5 ? 'Almost ready' : 'Not ready yet' }
}

export function roi(i: { ratePerHour?: number; minutesPerTask?: number; tasksCompleted: number; aiCost: number }) {
  const rate = i.ratePerHour ?? 75
  const minutes = i.minutesPerTask ?? 30
  const manual = (rate / 60) * minutes * i.tasksCompleted
  return { manual, ai: i.aiCost, savings: manual - i.aiCost, multiple: i.aiCost === 0 ? null : manual / i.aiCost }
}
