import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const SRC = join(import.meta.dirname, '..', 'src')

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f)
    return statSync(p).isDirectory() ? files(p) : [p]
  })
}

describe('untrusted text and inline code (D67, D68)', () => {
  const all = files(SRC)

  it('no innerHTML, outerHTML, insertAdjacentHTML or document.write anywhere in src', () => {
    const bad = all.filter((f) =>
      /innerHTML|outerHTML|insertAdjacentHTML|document\.write/.test(readFileSync(f, 'utf8')),
    )
    expect(bad).toEqual([])
  })

  it('pages carry the CSP, no inline scripts, no on… attributes, no javascript: URLs', () => {
    for (const f of all.filter((x) => x.endsWith('.html'))) {
      const html = readFileSync(f, 'utf8')
      expect(html).toContain(
        "default-src 'self'; script-src 'self'; style-src 'self'; form-action 'self'; img-src 'self' data:",
      )
      expect(html).toContain("object-src 'none'; base-uri 'none'")
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/)
      expect(html).not.toMatch(/\son[a-z]+=/i)
      expect(html).not.toMatch(/javascript:/i)
    }
  })

  it('no bundle source holds a deployment id or {…} URL placeholder', () => {
    const bad = all.filter((f) => /execute-api\.[a-z0-9-]+\.amazonaws\.com/.test(readFileSync(f, 'utf8')))
    expect(bad).toEqual([])
  })
})
