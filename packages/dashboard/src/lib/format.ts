/** Display formatting (dashboard.md D22). Null → "—", zero stays zero. */
import type { AgentStatus, TaskStatus } from '@hiveboard/shared'

export const DASH = '—'

export type Health = 'fresh' | 'stale' | 'dead' | null

export function heartbeatHealth(
  given: string | null | undefined,
  ageSeconds: number | null | undefined,
  thresholdSeconds: number,
): Health {
  if (given === 'fresh' || given === 'stale' || given === 'dead') return given
  if (given === 'none') return null
  if (ageSeconds === null || ageSeconds === undefined) return null
  if (ageSeconds < 60) return 'fresh'
  return ageSeconds <= thresholdSeconds ? 'stale' : 'dead'
}

export function formatAgo(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return DASH
  const s = Math.max(0, Math.floor(seconds))
  if (s < 5) return 'just now'
  if (s < 60) return `${s}s`
  if (s < 3600) return `${Math.floor(s / 60)}m`
  if (s < 86400) return `${Math.floor(s / 3600)}h`
  return `${Math.floor(s / 86400)}d`
}

/** "12m ago", or "just now" (never "just now ago"). */
export function formatAgoPhrase(seconds: number | null | undefined): string {
  const ago = formatAgo(seconds)
  return ago === 'just now' || ago === DASH ? ago : `${ago} ago`
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return DASH
  if (ms < 1000) return `${Math.round(ms)}ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`
  const totalS = Math.floor(ms / 1000)
  if (ms < 3_600_000) return `${Math.floor(totalS / 60)}m${totalS % 60}s`
  const totalM = Math.floor(totalS / 60)
  return `${Math.floor(totalM / 60)}h${totalM % 60}m`
}

export function formatTokens(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return DASH
  if (Math.abs(n) < 1000) return String(Math.round(n))
  if (Math.abs(n) < 1_000_000) return `${trim1(n / 1000)}K`
  return `${trim1(n / 1_000_000)}M`
}

function trim1(n: number): string {
  return n.toFixed(1).replace(/\.0$/, '')
}

export type CostStyle = 'ribbon' | 'table'

export function formatCost(cost: number | null | undefined, style: CostStyle = 'table', estimated = false): string {
  if (cost === null || cost === undefined || !Number.isFinite(cost)) return DASH
  const prefix = estimated ? '~' : ''
  if (style === 'ribbon') {
    if (cost > 0 && cost < 0.01) return `${prefix}<$0.01`
    return `${prefix}$${cost.toFixed(2)}`
  }
  return `${prefix}$${cost.toFixed(4)}`
}

export function formatPercent(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return DASH
  return `${p}%`
}

/** Model tags drop an 8+ digit date suffix: `gpt-4o-2024-08-06` stays, `claude-3-5-sonnet-20241022` → `claude-3-5-sonnet`. */
export function modelTag(model: string | null | undefined): string {
  if (model === null || model === undefined || model === '') return DASH
  return model.replace(/[-_@]\d{8,}$/, '')
}

export function formatNumber(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return DASH
  return n.toLocaleString('en-US')
}

export const AGENT_STATUS_LABEL: Record<AgentStatus, { label: string; glyph: string }> = {
  stuck: { label: 'Stuck', glyph: '⚠' },
  error: { label: 'Error', glyph: '✗' },
  waiting_approval: { label: 'Waiting', glyph: '‖' },
  processing: { label: 'Processing', glyph: '◉' },
  idle: { label: 'Idle', glyph: '○' },
}

export const TASK_STATUS_LABEL: Record<TaskStatus, { label: string; glyph: string }> = {
  completed: { label: 'completed', glyph: '✓' },
  failed: { label: 'failed', glyph: '✗' },
  escalated: { label: 'escalated', glyph: '⚑' },
  waiting: { label: 'waiting', glyph: '‖' },
  processing: { label: 'processing', glyph: '◉' },
}

export function agentStatusText(s: AgentStatus): string {
  const x = AGENT_STATUS_LABEL[s]
  return `${x.glyph} ${x.label}`
}

export function taskStatusText(s: TaskStatus): string {
  const x = TASK_STATUS_LABEL[s]
  return `${x.glyph} ${x.label}`
}

export function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

/** HH:MM:SS.mmm in the local zone. */
export function clockTime(iso: string, millis = false): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return DASH
  const p = (n: number, w = 2) => String(n).padStart(w, '0')
  const base = `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`
  return millis ? `${base}.${p(d.getMilliseconds(), 3)}` : base
}
