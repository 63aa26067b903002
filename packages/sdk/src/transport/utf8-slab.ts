// PERF: queued events are kept as UTF-8 bytes off the JS heap, so the young-generation GC does not copy each queued
// event (that copying made the p99 of enqueue). `Buffer.from(string)` measures the byte length and then encodes, and
// a joined string is first flattened; writing each part straight into a slab encodes once (README "Performance").

const SLAB_BYTES = 64 * 1024
/** Above this many UTF-16 units, an event gets its own Buffer rather than a slice of the slab. */
const OWN_BUFFER_UNITS = SLAB_BYTES / 8

/**
 * Encodes events into slices of 64 KiB slabs. A slab is freed once no slice of it is referenced. NOTE: one per
 * transport: its queue is sent or dropped oldest first, so its slabs are freed in order; a slab shared with another
 * client's queue (say one whose server is down) would stay pinned by that client's few events.
 */
export class Utf8Slab {
  private slab: Buffer | undefined
  private used = 0

  /** The UTF-8 bytes of `parts` joined. */
  join(parts: readonly string[]): Buffer {
    let units = 0
    for (const part of parts) units += part.length
    if (units > OWN_BUFFER_UNITS) return Buffer.from(parts.join(''))
    // a UTF-16 unit never takes more than 3 UTF-8 bytes (a surrogate pair: 4 bytes for 2 units)
    let slab = this.slab
    if (slab === undefined || this.used + units * 3 > SLAB_BYTES) {
      slab = this.slab = Buffer.allocUnsafe(SLAB_BYTES)
      this.used = 0
    }
    const start = this.used
    for (const part of parts) this.used += slab.write(part, this.used)
    return slab.subarray(start, this.used)
  }
}
