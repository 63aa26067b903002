/** URL state (dashboard.md D19): parse and serialise, unknown values → defaults. Pure. */

export const VIEWS = ['mission', 'agent', 'task', 'cost', 'pipeline', 'alerts'] as const
export type View = (typeof VIEWS)[number]
export const RANGES = ['1h', '6h', '24h', '7d', '30d'] as const
export type Range = (typeof RANGES)[number]
export const FEEDS = ['all', 'tasks', 'actions', 'errors', 'llm', 'pipeline', 'human', 'plans'] as const
export type Feed = (typeof FEEDS)[number]
export const AGENT_TABS = ['tasks', 'pipeline', 'metrics', 'heartbeat'] as const
export type AgentTab = (typeof AGENT_TABS)[number]
export const SEVERITIES = ['debug', 'info', 'warn', 'error'] as const
export type MinSeverity = (typeof SEVERITIES)[number]

export interface UrlState {
  view: View
  agent: string | null
  task: string | null
  run: string | null
  tab: AgentTab
  status: string | null
  env: string | null
  project: string | null
  range: Range
  feed: Feed
  sev: MinSeverity | null
  mode: 'tree' | 'flat'
}

export const DEFAULT_URL_STATE: UrlState = {
  view: 'mission',
  agent: null,
  task: null,
  run: null,
  tab: 'tasks',
  status: null,
  env: null,
  project: null,
  range: '1h',
  feed: 'all',
  sev: null,
  mode: 'tree',
}

function oneOf<T extends string>(list: readonly T[], value: string | null, fallback: T): T {
  return value !== null && (list as readonly string[]).includes(value) ? (value as T) : fallback
}

function nonEmpty(value: string | null): string | null {
  return value === null || value === '' ? null : value
}

export function parseUrlState(search: string): UrlState {
  const q = new URLSearchParams(search)
  const task = nonEmpty(q.get('task'))
  const rawView = q.get('view')
  let view = oneOf(VIEWS, rawView, 'mission')
  if (rawView === null && task !== null) view = 'task'
  return {
    view,
    agent: nonEmpty(q.get('agent')),
    task,
    run: nonEmpty(q.get('run')),
    tab: oneOf(AGENT_TABS, q.get('tab'), 'tasks'),
    status: nonEmpty(q.get('status')),
    env: nonEmpty(q.get('env')),
    project: nonEmpty(q.get('project')),
    range: oneOf(RANGES, q.get('range'), view === 'cost' ? '24h' : '1h'),
    feed: oneOf(FEEDS, q.get('feed'), 'all'),
    sev: SEVERITIES.includes(q.get('sev') as MinSeverity) ? (q.get('sev') as MinSeverity) : null,
    mode: q.get('mode') === 'flat' ? 'flat' : 'tree',
  }
}

/** Only non-default values are written, in a stable order. */
export function serializeUrlState(s: UrlState): string {
  const q = new URLSearchParams()
  if (s.view !== 'mission' && !(s.view === 'task' && s.task !== null)) q.set('view', s.view)
  if (s.agent !== null) q.set('agent', s.agent)
  if (s.task !== null) q.set('task', s.task)
  if (s.run !== null) q.set('run', s.run)
  if (s.tab !== 'tasks') q.set('tab', s.tab)
  if (s.status !== null) q.set('status', s.status)
  if (s.env !== null) q.set('env', s.env)
  if (s.project !== null) q.set('project', s.project)
  if (s.range !== (s.view === 'cost' ? '24h' : '1h')) q.set('range', s.range)
  if (s.feed !== 'all') q.set('feed', s.feed)
  if (s.sev !== null) q.set('sev', s.sev)
  if (s.mode !== 'tree') q.set('mode', s.mode)
  const text = q.toString()
  return text === '' ? '' : `?${text}`
}

/** Permalink of a timeline: `view`, `task`, `run` only (D32). */
export function timelinePermalink(origin: string, task: string, run: string | null): string {
  const q = new URLSearchParams({ view: 'task', task })
  if (run !== null) q.set('run', run)
  return `${origin}/static/index.html?${q.toString()}`
}
