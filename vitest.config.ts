import { defineConfig } from 'vitest/config';

// Host-level tests spawn workers and real sockets: keep files in separate forks, no shared state.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts', 'plugins/**/*.test.ts', 'bench/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    environment: 'node',
  },
});
