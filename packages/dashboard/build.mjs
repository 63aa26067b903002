// Builds dist/ in the S3 layout of dashboard.md D1/D2.
import { build } from 'esbuild'
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
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
const ours = readFileSync(join(here, 'src/css/hiveboard.css'), 'utf8')
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

// HTML: dashboard pages under static/, account pages at the root.
const htmlDir = join(here, 'src/html')
for (const file of readdirSync(htmlDir)) {
  const target = file === 'index.html' || file === 'insights.html' ? join(staticDir, file) : join(dist, file)
  copyFileSync(join(htmlDir, file), target)
}
console.log('dashboard build: done')
