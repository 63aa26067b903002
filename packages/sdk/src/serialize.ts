const MAX_DEPTH = 64

/** JSON of any value: plain JSON.stringify first, then a safe pass that replaces only the offending values. */
export function safeStringify(value: unknown): string | undefined {
  try {
    return JSON.stringify(value)
  } catch {
    try {
      return JSON.stringify(sanitize(value, new Set(), 0))
    } catch {
      return undefined
    }
  }
}

function isBinary(value: object): value is ArrayBuffer | ArrayBufferView {
  return value instanceof ArrayBuffer || ArrayBuffer.isView(value)
}

/** A JSON-safe copy (sdk.md §5.2): BigInt, cycles, throwing getters, Map/Set/Error/binary, depth. */
export function sanitize(value: unknown, stack: Set<object>, depth: number): unknown {
  try {
    if (typeof value === 'bigint') return value.toString()
    if (typeof value !== 'object' || value === null) return value
    if (stack.has(value)) return '[Circular]'
    if (depth >= MAX_DEPTH) return '[Depth]'
    if (isBinary(value)) return `[Binary ${value.byteLength} bytes]`
    stack.add(value)
    try {
      return sanitizeObject(value, stack, depth)
    } finally {
      stack.delete(value)
    }
  } catch {
    return '[Unserializable]'
  }
}

function sanitizeObject(value: object, stack: Set<object>, depth: number): unknown {
  const toJSON = (value as { toJSON?: unknown }).toJSON
  if (typeof toJSON === 'function') return sanitize(toJSON.call(value) as unknown, stack, depth + 1)
  if (value instanceof Error) return { name: value.name, message: value.message }
  if (value instanceof Map) {
    const out: Record<string, unknown> = {}
    for (const [k, v] of value) out[String(k)] = sanitize(v, stack, depth + 1)
    return out
  }
  if (value instanceof Set) return Array.from(value, (v) => sanitize(v, stack, depth + 1))
  if (Array.isArray(value)) return value.map((v) => sanitize(v, stack, depth + 1))
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(value)) {
    let item: unknown
    try {
      item = (value as Record<string, unknown>)[key]
    } catch {
      out[key] = '[Unserializable]'
      continue
    }
    out[key] = sanitize(item, stack, depth + 1)
  }
  return out
}
