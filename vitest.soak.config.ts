import { defineConfig } from 'vitest/config'

// The soak suite: long loops of SIGKILLs at many moments of real runs and merges, and the
// pre-commit framework installing wf from a clone (minutes: it installs every dependency). The main suite
// keeps one deterministic version of each property; these look for the moments in between.
export default defineConfig({
  test: {
    include: ['test/soak/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    // Kill instants are chosen from measured timings: one file at a time keeps them meaningful.
    fileParallelism: false,
  },
})
