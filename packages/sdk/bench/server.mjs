// A minimal ingest endpoint in its own process, so its work never shows in the SDK's event loop.
import { createServer } from 'node:http'

const server = createServer((req, res) => {
  let bytes = 0
  req.on('data', (c) => (bytes += c.length))
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ accepted: 0, rejected: 0, duplicates: 0, errors: [], warnings: [], bytes }))
  })
})
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`))
process.on('disconnect', () => process.exit(0))
process.stdin.on('end', () => process.exit(0))
process.stdin.resume()
