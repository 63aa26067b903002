/** `h(tag, attrs, ...children)`: strings become text nodes, never markup (conventions §9, D67). */
export type Child = Node | string | number | null | undefined | false
export type Attrs = Record<string, string | number | boolean | null | undefined>

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs | null = null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag)
  if (attrs !== null) {
    for (const [name, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue
      if (name.startsWith('on')) throw new Error(`h(): event attribute ${name} not allowed`)
      if (name === 'class') el.className = String(value)
      else el.setAttribute(name, value === true ? '' : String(value))
    }
  }
  append(el, children)
  return el
}

export function append(el: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue
    el.appendChild(
      typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child,
    )
  }
}

export function setText(el: Node, text: string): void {
  if (el.textContent !== text) el.textContent = text
}

export function clear(el: Element): void {
  while (el.firstChild !== null) el.removeChild(el.firstChild)
}

/** Listeners, timers and subscriptions released together (conventions §9). */
export class Disposables {
  private items: (() => void)[] = []
  add(dispose: () => void): void {
    this.items.push(dispose)
  }
  on<K extends keyof HTMLElementEventMap>(
    target: HTMLElement | Document | Window,
    type: K,
    fn: (ev: HTMLElementEventMap[K]) => void,
  ): void {
    const listener = fn as EventListener
    target.addEventListener(type, listener)
    this.items.push(() => target.removeEventListener(type, listener))
  }
  interval(fn: () => void, ms: number): void {
    const id = setInterval(fn, ms)
    this.items.push(() => clearInterval(id))
  }
  dispose(): void {
    for (const item of this.items.splice(0).reverse()) item()
  }
}

export interface Panel<S> {
  readonly dom: HTMLElement
  update(state: S): void
  destroy(): void
}

/** Keyed reconciliation: reuse rows by key, create new, remove missing, move only when out of place. */
export interface Row<T> {
  readonly dom: HTMLElement
  update(item: T): void
}

export function reconcile<T>(
  parent: HTMLElement,
  rows: Map<string, Row<T>>,
  items: readonly T[],
  key: (item: T) => string,
  create: (item: T) => Row<T>,
): void {
  const seen = new Set<string>()
  let cursor: ChildNode | null = parent.firstChild
  for (const item of items) {
    const k = key(item)
    seen.add(k)
    let row = rows.get(k)
    if (row === undefined) {
      row = create(item)
      rows.set(k, row)
    }
    row.update(item)
    if (row.dom !== cursor) parent.insertBefore(row.dom, cursor)
    else cursor = cursor.nextSibling
  }
  for (const [k, row] of rows) {
    if (!seen.has(k)) {
      row.dom.remove()
      rows.delete(k)
    }
  }
}
