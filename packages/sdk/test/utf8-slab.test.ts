import { describe, expect, it } from 'vitest'
import { Utf8Slab } from '../src/transport/utf8-slab.js'

describe('Utf8Slab (queued events as UTF-8 slices of 64 KiB slabs)', () => {
  it('gives the bytes of the joined string, and earlier slices survive later slabs', () => {
    const slab = new Utf8Slab()
    const samples = ['{"a":1}', 'ünïcödé', '\u{1F41D} bee', 'lone \ud800 surrogate', '', 'x'.repeat(3000)]
    const made: Array<[Buffer, string]> = []
    for (let i = 0; i < 400; i++) {
      const parts = [samples[i % samples.length] as string, `,${i},`, samples[(i * 7) % samples.length] as string]
      made.push([slab.join(parts), parts.join('')]) // 400 × up to ~6 KB: many slabs
    }
    for (const [bytes, text] of made) expect(bytes.equals(Buffer.from(text))).toBe(true)
  })

  it('a large event gets its own buffer, with the same bytes', () => {
    const big = `"${'\u00e9'.repeat(40_000)}"`
    const bytes = new Utf8Slab().join(['{"big":', big, '}'])
    expect(bytes.toString()).toBe(`{"big":${big}}`)
    expect(bytes.byteOffset).toBe(0)
  })

  it('two slabs (two clients) never share memory, so one queue cannot pin the slabs of the other', () => {
    const a = new Utf8Slab()
    const b = new Utf8Slab()
    expect(a.join(['x']).buffer).not.toBe(b.join(['y']).buffer)
  })
})
