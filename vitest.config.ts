import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/setup.ts'],
    // Test files share a worker's loaded modules (src/ keeps no state between runs: see Workspace).
    isolate: false,
    // test/soak holds long kill and timing loops: `npm run test:soak` (vitest.soak.config.ts) runs them.
    exclude: ['test/fixtures/**', 'test/soak/**', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // e2e tests spawn processes; two workers match the two cores of CI machines.
    maxWorkers: 2,
  },
})
