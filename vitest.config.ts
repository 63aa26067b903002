import { defineConfig } from 'vitest/config'

// One run covers every package; each package keeps its own vitest.config.ts as a project.
export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts', 'scripts/vitest.config.ts'],
  },
})
