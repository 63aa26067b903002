/** home.html sections (D62): each lists its endpoint's data, text only; errors shown in place. */
import { copyButton } from './form.js'
import { ApiError, type ApiClient } from '../lib/api.js'
import { formatNumber } from '../lib/format.js'
import { h } from '../lib/h.js'

export const SECTIONS = ['overview', 'projects', 'keys', 'team', 'settings'] as const
export type Section = (typeof SECTIONS)[number]

interface Project {
  name: string
  slug: string
  agent_count: number
  event_count: number
  is_archived: boolean
}
interface ApiKey {
  key_id: string
  label: string
  key_prefix: string
  key_type: string
  last_used_at: string | null
  is_active: boolean
}
interface User {
  user_id: string
  name: string
  email: string
  role: string
  is_active: boolean
}

function table(headers: string[], rows: string[][]): HTMLElement {
  return h(
    'table',
    null,
    h('thead', null, h('tr', null, ...headers.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', null, ...rows.map((r) => h('tr', null, ...r.map((c) => h('td', null, c))))),
  )
}

async function content(section: Section, api: ApiClient, snippet: () => string): Promise<HTMLElement[]> {
  switch (section) {
    case 'overview': {
      const p = await api.get<{ data: Project[] }>('/v1/projects')
      const agents = p.data.reduce((s, x) => s + x.agent_count, 0)
      const events = p.data.reduce((s, x) => s + x.event_count, 0)
      return [
        h('p', null, `${formatNumber(agents)} agents · ${formatNumber(events)} events · ${p.data.length} projects`),
        h('h3', null, 'Connect an agent'),
        h('pre', { class: 'snippet' }, snippet()),
        copyButton(snippet),
      ]
    }
    case 'projects': {
      const p = await api.get<{ data: Project[] }>('/v1/projects', { include_archived: true })
      const rows = p.data.map((x) => [
        x.name,
        x.slug,
        String(x.agent_count),
        String(x.event_count),
        x.is_archived ? 'archived' : 'active',
      ])
      return [table(['Name', 'Slug', 'Agents', 'Events', 'Status'], rows)]
    }
    case 'keys': {
      const k = await api.get<{ data: ApiKey[] }>('/v1/api-keys')
      const rows = k.data.map((x) => [
        x.label,
        `${x.key_prefix}…`,
        x.key_type,
        x.last_used_at ?? 'never',
        x.is_active ? 'active' : 'revoked',
      ])
      return [table(['Label', 'Key', 'Type', 'Last used', 'Status'], rows)]
    }
    case 'team': {
      const u = await api.get<{ data: User[] }>('/v1/users')
      const rows = u.data.map((x) => [x.name, x.email, x.role, x.is_active ? 'active' : 'deactivated'])
      return [table(['Name', 'E-mail', 'Role', 'Status'], rows)]
    }
    case 'settings': {
      const me = await api.get<User>('/v1/users/me')
      return [
        h(
          'dl',
          { class: 'kvs' },
          ...[
            ['Name', me.name],
            ['E-mail', me.email],
            ['Role', me.role],
          ].map(([a, b]) => h('div', { class: 'kv' }, h('dt', null, a ?? ''), h('dd', null, b ?? ''))),
        ),
      ]
    }
  }
}

export async function renderSection(
  section: Section,
  body: HTMLElement,
  api: ApiClient,
  snippet: () => string,
): Promise<void> {
  body.replaceChildren(
    h('h2', null, section[0]?.toUpperCase() + section.slice(1)),
    h('p', { class: 'muted' }, 'Loading…'),
  )
  try {
    const parts = await content(section, api, snippet)
    body.replaceChildren(h('h2', null, section[0]?.toUpperCase() + section.slice(1)), ...parts)
  } catch (e) {
    const msg = e instanceof ApiError ? e.message : 'Something went wrong'
    const retry = h('button', { type: 'button' }, 'Retry')
    retry.addEventListener('click', () => void renderSection(section, body, api, snippet))
    body.replaceChildren(
      h('h2', null, section),
      h('div', { class: 'panel-status is-error' }, h('span', { class: 'error-text' }, msg), ' ', retry),
    )
  }
}
