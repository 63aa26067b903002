import { Utf8Slab } from './utf8-slab.js'

/** Identity of one serialized envelope; events group by this object (one per agent metadata revision). */
export interface EnvelopeRef {
  readonly json: string
  readonly agentId: string
}

export interface Item {
  readonly seq: number
  /** The event's JSON in UTF-8, off the JS heap (see utf8-slab.ts). */
  readonly json: Buffer
  /** `json.length`, the UTF-8 bytes the event adds to a request body. */
  readonly bytes: number
  readonly env: EnvelopeRef
  done: boolean
}

/** FIFO with O(1) push/shift and byte accounting. */
export class Queue {
  /** Where this queue's events are encoded (one per queue, see utf8-slab.ts). */
  readonly slab = new Utf8Slab()
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

export type AddResult = { ok: true } | { ok: false; reason: 'count' | 'bytes' }

/** One request's worth of events of one envelope, bounded by count and uncompressed body bytes. */
export class Batch {
  readonly items: Item[] = []
  private size: number

  constructor(
    readonly env: EnvelopeRef,
    private readonly maxCount: number,
    private readonly maxBytes: number,
  ) {
    this.size = Buffer.byteLength(env.json) + BODY_OVERHEAD
  }

  /** Body bytes once serialized. */
  get bytes(): number {
    return this.size
  }

  /** A lone oversize event is still accepted, so it is sent (and refused by the server) on its own. */
  tryAdd(item: Item): AddResult {
    if (this.items.length >= this.maxCount) return { ok: false, reason: 'count' }
    if (this.items.length > 0 && this.size + item.bytes + 1 > this.maxBytes) return { ok: false, reason: 'bytes' }
    this.items.push(item)
    this.size += item.bytes + 1
    return { ok: true }
  }

  body(): string {
    return buildBody(this.env, this.items)
  }
}

/** Splits one envelope's events into batches that each stay under `maxBytes`. */
export function splitByBytes(items: readonly Item[], env: EnvelopeRef, maxBytes: number): Item[][] {
  const batches: Batch[] = []
  let current = new Batch(env, Infinity, maxBytes)
  for (const item of items) {
    if (current.tryAdd(item).ok) continue
    batches.push(current)
    current = new Batch(env, Infinity, maxBytes)
    current.tryAdd(item)
  }
  if (current.items.length > 0) batches.push(current)
  return batches.map((b) => b.items)
}

/** The whole body of `buildBodyParts` in one Buffer (an injected fetch, gzip). */
export function bodyBuffer(body: BodyParts): Buffer {
  return Buffer.concat(body.parts.flat())
}

/** The whole body of `buildBodyParts`, as a string (tests, diagnostics). */
export function buildBody(env: EnvelopeRef, items: readonly Item[]): string {
  return bodyBuffer(buildBodyParts(env, items)).toString('utf8')
}

/**
 * A request body as parts that each end on an event boundary, and its exact length. A part is a list of UTF-8
 * pieces, joined only when it is written (one part per event-loop turn), so a large body is never copied as a whole
 * in one piece of work.
 */
export interface BodyParts {
  readonly parts: readonly (readonly Buffer[])[]
  readonly bytes: number
}

/** Events per body part: ~64 KB at 1 KB per event, so writing one part is a short piece of work. */
export const EVENTS_PER_PART = 64

const COMMA = Buffer.from(',')
const BODY_END = Buffer.from(']}')

/** `{"envelope":…,"events":[…]}` in parts of at most EVENTS_PER_PART events; the length from the queued sizes. */
export function buildBodyParts(env: EnvelopeRef, items: readonly Item[]): BodyParts {
  const head = Buffer.from(`{"envelope":${env.json},"events":[`)
  const parts: Buffer[][] = []
  let part: Buffer[] = [head]
  let bytes = head.length + BODY_END.length + Math.max(0, items.length - 1)
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as Item
    if (i > 0) part.push(COMMA)
    part.push(item.json)
    bytes += item.bytes
    if ((i + 1) % EVENTS_PER_PART === 0 && i + 1 < items.length) {
      parts.push(part)
      part = []
    }
  }
  part.push(BODY_END)
  parts.push(part)
  return { parts, bytes }
}
