import { closeSync, openSync, readSync } from 'node:fs'

/**
 * A day segment as the indexes see it: events keep only (segment, offset, length) and are read back with
 * one positioned read when a response needs them. The page cache makes that as fast as memory, and a
 * million events then fit the memory target (architecture.md).
 */
export class SegmentRef {
  private fd: number | null = null

  constructor(readonly path: string) {}

  read(offset: number, length: number): string {
    this.fd ??= openSync(this.path, 'r')
    const buffer = Buffer.allocUnsafe(length)
    let done = 0
    while (done < length) {
      const n = readSync(this.fd, buffer, done, length - done, offset + done)
      if (n === 0) throw new Error(`segment ${this.path} ended before offset ${offset + length}`)
      done += n
    }
    return buffer.toString('utf8')
  }

  /**
   * Opens the descriptor now. A segment rewrite pins the old file this way, so reads keep hitting the old
   * inode, with the old offsets, until the records are remapped and `close()` lets the next read open the
   * new file (E125).
   */
  pin(): void {
    this.fd ??= openSync(this.path, 'r')
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd)
    this.fd = null
  }
}
