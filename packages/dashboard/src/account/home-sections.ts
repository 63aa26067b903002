/**
 * home.html sections (D62–D63): each lists its endpoint's data (text only, D67) and offers the writes the caller's
 * role allows (roles.ts); the server still decides, and its refusal is shown in words (D58).
 */
import { copyButton } from './form.js'
import { sdkSnippet } from './session.js'
import { API_KEY_STORAGE } from '../lib/config.js'
import { formatNumber } from '../lib/format.js'
import { h } from '../lib/h.js'
import { listPanel, type HomeContext, type Project } from './home-ui.js'
import { keys } from './home-keys.js'
import { projects } from './home-projects.js'
import { settings } from './home-settings.js'
import { team } from './home-team.js'

export const SECTIONS = ['overview', 'projects', 'keys', 'team', 'settings'] as const
export type Section = (typeof SECTIONS)[number]
export const SECTION_TITLES: Record<Section, string> = {
  overview: 'Overview',
  projects: 'Projects',
  keys: 'API keys',
  team: 'Team',
  settings: 'Settings',
}

// ───────────────────────────── overview ─────────────────────────────

function overview(ctx: HomeContext): HTMLElement[] {
  const storedKey = localStorage.getItem(API_KEY_STORAGE)
  const snippet = () => sdkSnippet(storedKey, ctx.endpoint)
  const list = listPanel(async () => {
    const p = await ctx.api.get<{ data: Project[] }>('/v1/projects')
    const agents = p.data.reduce((s, x) => s + x.agent_count, 0)
    const events = p.data.reduce((s, x) => s + x.event_count, 0)
    return [
      h(
        'dl',
        { class: 'kvs overview-figures' },
        ...(
          [
            ['Workspace', `${ctx.tenant?.name ?? '—'} (${ctx.tenant?.slug ?? '—'})`],
            ['Agents', formatNumber(agents)],
            ['Events', formatNumber(events)],
            ['Projects', String(p.data.length)],
          ] as const
        ).map(([a, b]) => h('div', { class: 'kv' }, h('dt', null, a), h('dd', null, b))),
      ),
    ]
  })
  void list.reload()
  return [
    list.dom,
    h('h3', null, 'Connect an agent'),
    h('pre', { class: 'snippet sdk-snippet' }, snippet()),
    h(
      'div',
      { class: 'row-actions' },
      copyButton(snippet),
      storedKey === null ? h('a', { href: '#keys', class: 'button' }, 'Create key') : null,
    ),
  ]
}

// ───────────────────────────── projects ─────────────────────────────

const BUILDERS: Record<Section, (ctx: HomeContext) => HTMLElement[]> = { overview, projects, keys, team, settings }

/** Renders one section into `body`; each section loads its own lists and shows their errors in place (D21). */
export function renderSection(section: Section, body: HTMLElement, ctx: HomeContext): void {
  body.replaceChildren(h('h2', { tabindex: -1 }, SECTION_TITLES[section]), ...BUILDERS[section](ctx))
  body.dataset.section = section
}
