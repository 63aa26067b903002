/** Identity of one serialized envelope; events group by this object (one per agent metadata revision). */
export interface EnvelopeRef {
  readonly json: string
  readonly agentId: string
}

export interface Item {
  readonly seq: number
  readonly json: string
  readonly bytes: number
  readonly env: EnvelopeRef
  done: boolean
}

/** FIFO with O(1) push/shift and byte accounting. */
export class Queue {
  private items: Item[] = []
  private head = 0
  bytes = 0

  get length(): number {
    return this.items.length - this.head
  }

  peek(): Item | undefined {
    return this.items[this.head]
  }

  push(item: Item): void {
    this.items.push(item)
    this.bytes += item.bytes
  }

  shift(): Item | undefined {
    const item = this.items[this.head]
    if (item === undefined) return undefined
    this.items[this.head] = undefined as unknown as Item // release the reference for GC
    this.head++
    this.bytes -= item.bytes
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head)
      this.head = 0
    }
    return item
  }

  take(max: number): Item[] {
    const out: Item[] = []
    while (out.length < max) {
      const item = this.shift()
      if (item === undefined) break
      out.push(item)
    }
    return out
  }
}

/** Groups by envelope in first-seen order, keeping order inside each group. */
export function groupByEnvelope(items: readonly Item[]): Item[][] {
  const groups = new Map<EnvelopeRef, Item[]>()
  for (const item of items) {
    const group = groups.get(item.env)
    if (group === undefined) groups.set(item.env, [item])
    else group.push(item)
  }
  return [...groups.values()]
}

export const BODY_OVERHEAD = 32

/** Splits a group so each request body stays under `maxBytes` (a lone oversize event goes alone). */
export function splitByBytes(items: readonly Item[], envBytes: number, maxBytes: number): Item[][] {
  const chunks: Item[][] = []
  let current: Item[] = []
  let size = envBytes + BODY_OVERHEAD
  for (const item of items) {
    if (current.length > 0 && size + item.bytes + 1 > maxBytes) {
      chunks.push(current)
      current = []
      size = envBytes + BODY_OVERHEAD
    }
    current.push(item)
    size += item.bytes + 1
  }
  if (current.length > 0) chunks.push(current)
  return chunks
}

export function buildBody(env: EnvelopeRef, items: readonly Item[]): string {
  let events = ''
  for (let i = 0; i < items.length; i++) events += (i === 0 ? '' : ',') + (items[i] as Item).json
  return `{"envelope":${env.json},"events":[${events}]}`
}
