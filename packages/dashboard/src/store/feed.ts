/** Activity stream filters (dashboard.md D46). Pure. */
import { severityRank, type WireEvent } from '@hiveboard/shared'
import { eventKind } from '../lib/narrate.js'
import type { Feed, MinSeverity } from '../lib/url.js'

const PIPELINE_KINDS = new Set(['queue_snapshot', 'todo', 'issue', 'scheduled'])

export function matchesFeed(e: WireEvent, feed: Feed): boolean {
  const kind = eventKind(e)
  switch (feed) {
    case 'all':
      return true
    case 'tasks':
      return e.event_type.startsWith('task_')
    case 'actions':
      return e.event_type.startsWith('action_')
    case 'errors':
      return e.severity === 'error'
    case 'llm':
      return kind === 'llm_call'
    case 'pipeline':
      return kind !== null && PIPELINE_KINDS.has(kind)
    case 'human':
      return e.event_type.startsWith('approval_') || e.event_type === 'escalated'
    case 'plans':
      return kind === 'plan_created' || kind === 'plan_step'
  }
}

export interface StreamFilter {
  feed: Feed
  agent: string | null
  sev: MinSeverity | null
}

export function filterStream(events: readonly WireEvent[], f: StreamFilter): WireEvent[] {
  const min = f.sev === null ? -1 : severityRank(f.sev)
  return events.filter(
    (e) => matchesFeed(e, f.feed) && (f.agent === null || e.agent_id === f.agent) && severityRank(e.severity) >= min,
  )
}
