// Builds dist/ in the S3 layout of dashboard.md D1/D2.
import { build } from 'esbuild'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const dist = join(here, 'dist')
const staticDir = join(dist, 'static')
rmSync(dist, { recursive: true, force: true })
mkdirSync(join(staticDir, 'js'), { recursive: true })
mkdirSync(join(staticDir, 'css'), { recursive: true })

const entries = ['dashboard', 'insights', 'login', 'register', 'home', 'accept-invite']
await build({
  entryPoints: Object.fromEntries(entries.map((name) => [name, join(here, 'src/entries', `${name}.ts`)])),
  outdir: join(staticDir, 'js'),
  bundle: true,
  splitting: true,
  format: 'esm',
  minify: true,
  target: 'es2022',
  entryNames: '[name]',
  chunkNames: 'chunk-[hash]',
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
})

// CSS: ours plus uPlot's, one minified file with a fixed name.
const require = createRequire(import.meta.url)
const uplotCss = readFileSync(join(dirname(require.resolve('uplot')), 'uPlot.min.css'), 'utf8')
// hiveboard.css holds the dashboard's styles, account.css the account pages' (separate files, one output).
const ours = ['hiveboard.css', 'account.css'].map((f) => readFileSync(join(here, 'src/css', f), 'utf8')).join('\n')
await build({
  stdin: { contents: `${uplotCss}\n${ours}`, loader: 'css', resolveDir: here },
  outfile: join(staticDir, 'css/hiveboard.css'),
  minify: true,
  logLevel: 'warning',
})

// config.js: plain, written from the environment (D5); operators may edit it on S3.
const config = { endpoint: process.env.HIVEBOARD_ENDPOINT ?? '', wsUrl: process.env.HIVEBOARD_WS_URL ?? '' }
writeFileSync(
  join(staticDir, 'js/config.js'),
  `// HiveBoard deployment overrides (dashboard.md D5). Empty values keep the detected ones.\n` +
    `window.HIVEBOARD_CONFIG = ${JSON.stringify(config, null, 2)}\n`,
)

// HTML: one template (src/html/page.html) holds the shared head — CSP (D68), stylesheet, config.js (D5) — so it is
// written once; each page fills in its title and ESM entry. Dashboard pages under static/, account pages at the root.
const template = readFileSync(join(here, 'src/html/page.html'), 'utf8')
const pages = [
  { file: 'static/index.html', entry: 'dashboard', title: 'HiveBoard' },
  { file: 'static/insights.html', entry: 'insights', title: 'HiveBoard — Insights' },
  { file: 'login.html', entry: 'login', title: 'Sign in — HiveBoard' },
  { file: 'register.html', entry: 'register', title: 'Create a workspace — HiveBoard' },
  { file: 'home.html', entry: 'home', title: 'Account — HiveBoard' },
  { file: 'accept-invite.html', entry: 'accept-invite', title: 'Accept invite — HiveBoard' },
]
for (const { file, entry, title } of pages) {
  if (!entries.includes(entry)) throw new Error(`page ${file}: no entry ${entry}`)
  const html = template.replaceAll('{{title}}', title).replaceAll('{{entry}}', entry)
  if (html.includes('{{')) throw new Error(`page ${file}: unfilled placeholder`)
  writeFileSync(join(dist, file), html)
}
console.log('dashboard build: done')
