import { defineConfig } from 'vitest/config'

// Tests of the repo's own scripts; they run from the repo root (paths like scripts/hb.sh).
export default defineConfig({
  test: { name: 'scripts', include: ['test/**/*.test.ts'], testTimeout: 30_000 },
})
