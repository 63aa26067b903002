import express, { Router } from 'express'
import { join } from 'node:path'

const ROOT_PAGES = ['login.html', 'register.html', 'home.html', 'accept-invite.html'] as const

/**
 * Local mode serves the dashboard build (api.md §4.1): `/static/*`, the four account pages, and
 * `/dashboard` and `/` redirecting to the dashboard. No listing; traversal and misses fall through to 404.
 */
export function staticRoutes(dashboardDir: string): Router {
  const router = Router()
  const options = { index: false, redirect: false, dotfiles: 'ignore' as const, fallthrough: true }
  router.use('/static', express.static(join(dashboardDir, 'static'), options))
  for (const page of ROOT_PAGES) {
    router.get(`/${page}`, (_req, res, next) => {
      res.sendFile(join(dashboardDir, page), (error) => {
        if (error !== undefined) next()
      })
    })
  }
  router.get(['/', '/dashboard'], (_req, res) => res.redirect(302, '/static/index.html'))
  return router
}
