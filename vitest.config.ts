import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // One graphql instance for tests and libraries: a bare 'graphql' import would otherwise get
    // the .mjs build while Yoga and Pothos load the CommonJS one, and graphql's instanceof
    // checks reject objects from the other copy.
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // Fails the run at once, with how to start it, when the shared Redis is not answering.
    globalSetup: ['test/redis-available.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Two cores here: one worker per core keeps emulator-timed tests from starving each other.
    maxWorkers: 2,
  },
});
