// A minimal ingest endpoint in its own process, so its work never shows in the SDK's event loop.
// argv: [tls] — https with the test certificate (CN and SAN 127.0.0.1; clients trust it via NODE_EXTRA_CA_CERTS).
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { createServer as createTlsServer } from 'node:https'

const fixture = (name) => readFileSync(new URL(`../test/fixtures/${name}`, import.meta.url))
const tls = process.argv[2] === 'tls'
const handler = (req, res) => {
  let bytes = 0
  req.on('data', (c) => (bytes += c.length))
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ accepted: 0, rejected: 0, duplicates: 0, errors: [], warnings: [], bytes }))
  })
}
const server = tls
  ? createTlsServer({ cert: fixture('tls-cert.pem'), key: fixture('tls-key.pem') }, handler)
  : createServer(handler)
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`))
process.on('disconnect', () => process.exit(0))
process.stdin.on('end', () => process.exit(0))
process.stdin.resume()
