import { createHmac } from 'node:crypto'
import { isIP } from 'node:net'
import type { AlertRule } from '../../storage/alert-records.js'
import type { AlertView } from './alert-history.js'

/** E109: `sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`. */
export function signature(secret: string, timestampSeconds: number, body: string): string {
  return 'sha256=' + createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex')
}

export type Verdict = 'sent' | 'retry' | 'fail'

/** 2xx delivered; network errors, 429 and 5xx retried; other statuses (4xx, redirects) fail at once (E109). */
export function classifyResponse(httpStatus: number | null): Verdict {
  if (httpStatus === null || httpStatus === 429 || httpStatus >= 500) return 'retry'
  return httpStatus >= 200 && httpStatus < 300 ? 'sent' : 'fail'
}

/** Wire alert as history returns it, without storage-only fields. */
export type WireAlert = Omit<AlertView, 'tenant_id' | 'key_type'>

/**
 * The JSON body: api.md §4.11 (the history row + `rule_name` + `test`) at the top level, plus the
 * envelope of events.md E109 (`type`, `alert`, `rule`, `tenant_id`), so receivers of either shape work.
 */
export function jsonPayload(alert: WireAlert, rule: AlertRule, test: boolean): Record<string, unknown> {
  return {
    ...alert,
    test,
    type: 'alert.fired',
    alert,
    rule: { rule_id: rule.rule_id, name: rule.name, condition_type: rule.condition_type },
    tenant_id: rule.tenant_id,
  }
}

/** Slack-compatible incoming-webhook body: `{text}` in mrkdwn. */
export function slackPayload(alert: WireAlert, test: boolean): { text: string } {
  const facts = Object.entries(alert.condition_snapshot)
    .filter(([, value]) => value !== null && typeof value !== 'object')
    .map(([key, value]) => `${key}=${String(value)}`)
    .join(', ')
  const subject = [
    alert.related_agent_id && `agent ${alert.related_agent_id}`,
    alert.related_task_id && `task ${alert.related_task_id}`,
  ]
    .filter(Boolean)
    .join(' · ')
  const prefix = test ? '[TEST] ' : ''
  return { text: `${prefix}:rotating_light: *${alert.rule_name}* (${alert.condition_type}) ${subject}\n${facts}` }
}

/** Loopback, private, link-local, unique-local and unspecified addresses (E109, api.md §5). */
export function isPrivateAddress(address: string): boolean {
  const ip = address.replace(/^\[|\]$/g, '').toLowerCase()
  if (isIP(ip) === 4) {
    const [a = 0, b = 0] = ip.split('.').map(Number)
    return (
      a === 10 ||
      a === 127 ||
      a === 0 ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 100 && b >= 64 && b <= 127)
    )
  }
  if (isIP(ip) === 6) {
    if (ip === '::1' || ip === '::') return true
    if (ip.startsWith('::ffff:')) return isPrivateAddress(ip.slice(7))
    return /^f[cd]/.test(ip) || /^fe[89ab]/.test(ip)
  }
  return ip === 'localhost' || ip.endsWith('.localhost')
}
