import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'

const PKG = join(import.meta.dirname, '..')

describe('bundle size (D69)', () => {
  it('JS under static/js ≤ 150 KB gzip, CSS ≤ 30 KB gzip; layout per D1', () => {
    execFileSync(process.execPath, [join(PKG, 'build.mjs')], { stdio: 'ignore' })
    const dist = join(PKG, 'dist')
    const jsDir = join(dist, 'static', 'js')
    const js = readdirSync(jsDir).filter((f) => f.endsWith('.js'))
    const jsGzip = js.reduce((sum, f) => sum + gzipSync(readFileSync(join(jsDir, f))).length, 0)
    const cssGzip = gzipSync(readFileSync(join(dist, 'static', 'css', 'hiveboard.css'))).length
    console.log(
      `bundle: JS ${(jsGzip / 1024).toFixed(1)} KB gzip (${js.length} files), CSS ${(cssGzip / 1024).toFixed(1)} KB gzip`,
    )
    expect(jsGzip).toBeLessThanOrEqual(150 * 1024)
    expect(cssGzip).toBeLessThanOrEqual(30 * 1024)
    for (const f of ['dashboard', 'insights', 'login', 'register', 'home', 'accept-invite', 'config'])
      expect(js).toContain(`${f}.js`)
    for (const f of ['login.html', 'register.html', 'home.html', 'accept-invite.html'])
      expect(readdirSync(dist)).toContain(f)
    expect(readdirSync(join(dist, 'static'))).toEqual(expect.arrayContaining(['index.html', 'insights.html']))
    expect(readFileSync(join(jsDir, 'config.js'), 'utf8')).toContain('HIVEBOARD_CONFIG')
    // Every page is generated from one head template (build.mjs): CSP, stylesheet, config.js, then its own entry.
    const pages: [string, string][] = [
      ['static/index.html', 'dashboard'],
      ['static/insights.html', 'insights'],
      ['login.html', 'login'],
      ['register.html', 'register'],
      ['home.html', 'home'],
      ['accept-invite.html', 'accept-invite'],
    ]
    for (const [file, entry] of pages) {
      const html = readFileSync(join(dist, file), 'utf8')
      expect(html).toContain(`http-equiv="Content-Security-Policy"`)
      expect(html).toContain("object-src 'none'; base-uri 'none'")
      expect(html).toContain('<link rel="stylesheet" href="/static/css/hiveboard.css" />')
      expect(html.indexOf('/static/js/config.js')).toBeLessThan(html.indexOf(`/static/js/${entry}.js`))
      expect(html).toContain(`<script type="module" src="/static/js/${entry}.js"></script>`)
      expect(html).not.toContain('{{')
    }
  })
})
