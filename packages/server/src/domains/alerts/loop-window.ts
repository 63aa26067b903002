import type { LoopSignature } from './condition-context.js'

/** One loop candidate (E102): where it sits in the canonical (timestamp, seq) order and what it says. */
export interface LoopEntry {
  ts: number
  seq: number
  eventId: string
  taskId: string | null
}

/** Events of one signature inside the window, oldest first. */
export interface LoopGroup {
  signature: LoopSignature
  count: number
  first: LoopEntry
  last: LoopEntry
}

interface SignatureList {
  signature: LoopSignature
  entries: LoopEntry[]
  /** Entries before `head` slid out of the window (dropped lazily, in chunks). */
  head: number
}

const before = (a: LoopEntry, b: LoopEntry): boolean => a.ts < b.ts || (a.ts === b.ts && a.seq < b.seq)

/** Inserts in canonical order at or after `from`; in-order arrivals (the usual case) append. */
function insertSorted<T>(list: T[], from: number, item: T, entryOf: (t: T) => LoopEntry): void {
  let lo = from
  let hi = list.length
  const entry = entryOf(item)
  if (hi > lo && !before(entry, entryOf(list[hi - 1] as T))) {
    list.push(item)
    return
  }
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (before(entryOf(list[mid] as T), entry)) lo = mid + 1
    else hi = mid
  }
  list.splice(lo, 0, item)
}

const COMPACT_AT = 256

/**
 * One agent's loop candidates for one rule in the window [start, now], counted per signature hash and advanced
 * per batch (E101 `loop_detected`), so the ingest cost is the batch plus what slid out, not the window's history.
 * Entries dated after `now` wait until the window reaches them, as a rescan at that later time would count them.
 */
export class LoopWindow {
  private readonly order: { entry: LoopEntry; hash: string }[] = []
  private head = 0
  private future: { entry: LoopEntry; signature: LoopSignature }[] = []
  private readonly bySignature = new Map<string, SignatureList>()
  /** Hashes with at least `minRepeats` entries in the window: the groups a batch reports. */
  private readonly holding = new Set<string>()

  constructor(
    private start: number,
    private now: number,
    private readonly minRepeats: number,
  ) {}

  /** A candidate already known to be in the rule's scope and of a matching kind. */
  add(entry: LoopEntry, signature: LoopSignature): void {
    if (entry.ts < this.start) return
    if (entry.ts > this.now) {
      this.future.push({ entry, signature })
      return
    }
    let list = this.bySignature.get(signature.hash)
    if (list === undefined) {
      list = { signature, entries: [], head: 0 }
      this.bySignature.set(signature.hash, list)
    }
    insertSorted(list.entries, list.head, entry, (e) => e)
    insertSorted(this.order, this.head, { entry, hash: signature.hash }, (o) => o.entry)
    if (list.entries.length - list.head >= this.minRepeats) this.holding.add(signature.hash)
  }

  /** Moves to [start, now]; false when that would move backwards (the caller rebuilds by scanning). */
  slide(start: number, now: number): boolean {
    if (start < this.start || now < this.now) return false
    this.start = start
    this.now = now
    if (this.future.length > 0) {
      const due = this.future.filter((f) => f.entry.ts <= now)
      this.future = this.future.filter((f) => f.entry.ts > now)
      for (const f of due) this.add(f.entry, f.signature)
    }
    while (this.head < this.order.length && (this.order[this.head] as { entry: LoopEntry }).entry.ts < start) {
      const { hash } = this.order[this.head++] as { hash: string }
      const list = this.bySignature.get(hash) as SignatureList
      list.head++
      const count = list.entries.length - list.head
      if (count < this.minRepeats) this.holding.delete(hash)
      if (count === 0) this.bySignature.delete(hash)
      else if (list.head >= COMPACT_AT && list.head * 2 >= list.entries.length) {
        list.entries.splice(0, list.head)
        list.head = 0
      }
    }
    if (this.head >= COMPACT_AT && this.head * 2 >= this.order.length) {
      this.order.splice(0, this.head)
      this.head = 0
    }
    return true
  }

  /** Signatures repeated at least `minRepeats` times in the window. */
  groups(): LoopGroup[] {
    const out: LoopGroup[] = []
    for (const hash of this.holding) {
      const list = this.bySignature.get(hash) as SignatureList
      out.push({
        signature: list.signature,
        count: list.entries.length - list.head,
        first: list.entries[list.head] as LoopEntry,
        last: list.entries[list.entries.length - 1] as LoopEntry,
      })
    }
    return out
  }

  get size(): number {
    return this.order.length - this.head + this.future.length
  }
}
