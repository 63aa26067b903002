import type { Request, Response, Router } from 'express'
import { AppError } from '../errors/app-error.js'

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE'
export type Handler = (req: Request, res: Response) => void | Promise<void>

/**
 * Registers the methods of one path, and answers any other method 405 with `Allow` (api.md §1.1).
 * Express answers HEAD wherever GET is registered.
 */
export function route(router: Router, path: string, handlers: Partial<Record<Method, Handler>>): void {
  const chain = router.route(path)
  for (const [method, handler] of Object.entries(handlers) as Array<[Method, Handler]>) {
    switch (method) {
      case 'GET':
        chain.get(handler)
        break
      case 'POST':
        chain.post(handler)
        break
      case 'PUT':
        chain.put(handler)
        break
      case 'DELETE':
        chain.delete(handler)
        break
    }
  }
  const methods = Object.keys(handlers)
  const allow = [...methods, ...(methods.includes('GET') ? ['HEAD'] : []), 'OPTIONS'].join(', ')
  chain.all((_req: Request, res: Response) => {
    res.setHeader('Allow', allow)
    throw new AppError('method_not_allowed', `Method not allowed; use ${allow}`)
  })
}
