import type { Request } from 'express'

/** Reads a raw body of at most `limit` bytes; `undefined` when it is larger (R22: 413 `body_too_large`). */
export async function readLimitedBody(req: Request, limit: number): Promise<string | undefined> {
  if (Number(req.headers['content-length'] ?? '0') > limit) return undefined
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > limit) return undefined
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}
