// PERF: queued events are kept as UTF-8 bytes off the JS heap, so the young-generation GC does not copy each queued
// event (that copying made the p99 of enqueue). `Buffer.from(string)` measures the byte length and then encodes, and
// a joined string is first flattened; writing each part straight into a shared slab encodes once (README
// "Performance").

const SLAB_BYTES = 64 * 1024
/** Above this many UTF-16 units, an event gets its own Buffer rather than a slice of the slab. */
const OWN_BUFFER_UNITS = SLAB_BYTES / 8

let slab = Buffer.allocUnsafe(SLAB_BYTES)
let used = 0

/**
 * The UTF-8 bytes of `parts` joined, as a slice of a shared slab. A slab is freed once no slice of it is referenced
 * (queued events are sent or dropped oldest first, so slabs go in order).
 */
export function utf8Join(parts: readonly string[]): Buffer {
  let units = 0
  for (const part of parts) units += part.length
  if (units > OWN_BUFFER_UNITS) return Buffer.from(parts.join(''))
  // a UTF-16 unit never takes more than 3 UTF-8 bytes (a surrogate pair: 4 bytes for 2 units)
  if (used + units * 3 > SLAB_BYTES) {
    slab = Buffer.allocUnsafe(SLAB_BYTES)
    used = 0
  }
  const start = used
  for (const part of parts) used += slab.write(part, used)
  return slab.subarray(start, used)
}
