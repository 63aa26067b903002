/** Insights building blocks: one async source with the D21 states, bounded scans. */
import type { ApiClient } from '../lib/api.js'
import { h } from '../lib/h.js'
import type { Loadable } from '../store/state.js'
import { PanelStatus } from '../views/common.js'

export interface Page<T> {
  data: T[]
  pagination: { cursor: string | null; has_more: boolean }
}

const RANGE_MS: Record<string, number> = { '1h': 3.6e6, '6h': 2.16e7, '24h': 8.64e7, '7d': 6.048e8, '30d': 2.592e9 }

/** A block fed by one async source: D21 states around `render`, redrawn once per response. */
export class Block<T> {
  readonly dom: HTMLElement
  private readonly status: PanelStatus
  private readonly body = h('div', { class: 'block-body' })
  private state: Loadable<T> = { data: null, error: null, loading: true, updatedAt: null }
  private generation = 0

  constructor(
    cls: string,
    title: string | null,
    private readonly source: () => Promise<T>,
    private readonly isEmpty: (data: T) => boolean,
    private readonly emptyText: () => string,
    private readonly render: (data: T) => Node[],
  ) {
    this.status = new PanelStatus(() => void this.load())
    this.dom = h('div', { class: `insight-block ${cls}` }, title === null ? null : h('h4', null, title))
    this.dom.append(this.status.dom, this.body)
  }

  get data(): T | null {
    return this.state.data
  }

  async load(): Promise<void> {
    const mine = ++this.generation
    this.state = { ...this.state, loading: true }
    this.show()
    try {
      const data = await this.source()
      if (mine !== this.generation) return
      this.state = { data, error: null, loading: false, updatedAt: Date.now() }
      this.show(true)
    } catch (e) {
      if (mine !== this.generation) return
      const message = e instanceof Error ? e.message : 'Request failed'
      const status = (e as { status?: number }).status ?? 0
      this.state = { ...this.state, error: { status, message }, loading: false }
      this.show()
    }
  }

  /** Data that arrived another way (the live stream): shown as if loaded, and later loads still replace it. */
  set(data: T): void {
    this.generation++
    this.state = { data, error: null, loading: false, updatedAt: Date.now() }
    this.show(true)
  }

  /** Re-renders with the same data (e.g. the agent list changed). */
  redraw(): void {
    this.show(true)
  }

  private show(draw = false): void {
    const ok = this.status.update(this.state, this.isEmpty, this.emptyText(), Date.now())
    this.dom.classList.toggle('is-stale', this.state.error !== null)
    if (draw || !ok) this.body.replaceChildren(...(ok && this.state.data !== null ? this.render(this.state.data) : []))
  }
}

export function rangeStart(api: ApiClient, range: string): string {
  return new Date(api.clock.now() - (RANGE_MS[range] ?? 8.64e7)).toISOString()
}

/** Follows cursors up to `max` items (D10 bounded scans). */
export async function scan<T>(load: (cursor: string | null) => Promise<Page<T>>, max: number): Promise<T[]> {
  const out: T[] = []
  let cursor: string | null = null
  do {
    const page = await load(cursor)
    out.push(...page.data)
    cursor = page.pagination.has_more ? page.pagination.cursor : null
  } while (cursor !== null && out.length < max)
  return out.slice(0, max)
}
