import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Two cores here: one worker per core keeps emulator-timed tests from starving each other.
    maxWorkers: 2,
  },
});
