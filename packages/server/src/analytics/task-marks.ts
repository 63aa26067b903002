/**
 * Scratch space keyed by task number (EventRecord.taskNo) for one window query: flags and two slots per
 * task, forgotten in O(1) by starting a new epoch. Replaces per-query Sets and Maps of task-id strings,
 * which dominated `/v1/metrics` at a million events. Queries run synchronously, so one instance serves all;
 * a query must finish with it before the next begins.
 */
export class TaskMarks {
  private epochs = new Uint32Array(4096)
  private flagBits = new Uint8Array(4096)
  private slots = new Int32Array(8192)
  private epoch = 0

  /** Starts a query: every task reads as unflagged. */
  begin(): void {
    this.epoch++
    if (this.epoch === 0xffff_ffff) {
      this.epochs.fill(0)
      this.epoch = 1
    }
  }

  flags(no: number): number {
    return no < this.epochs.length && this.epochs[no] === this.epoch ? (this.flagBits[no] as number) : 0
  }

  /** Sets `bits` on task `no`; true when none of them was set before in this query. */
  raise(no: number, bits: number): boolean {
    this.grow(no)
    const before = this.flags(no)
    this.epochs[no] = this.epoch
    this.flagBits[no] = before | bits
    return (before & bits) === 0
  }

  slot(no: number, which: 0 | 1): number {
    return this.slots[no * 2 + which] as number
  }

  setSlot(no: number, which: 0 | 1, value: number): void {
    this.slots[no * 2 + which] = value
  }

  private grow(no: number): void {
    if (no < this.epochs.length) return
    let size = this.epochs.length
    while (size <= no) size *= 2
    const epochs = new Uint32Array(size)
    epochs.set(this.epochs)
    const flagBits = new Uint8Array(size)
    flagBits.set(this.flagBits)
    const slots = new Int32Array(size * 2)
    slots.set(this.slots)
    this.epochs = epochs
    this.flagBits = flagBits
    this.slots = slots
  }
}

export const taskMarks = new TaskMarks()
