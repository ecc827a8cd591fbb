import { defineConfig } from 'vitest/config';

// One project per package: the SDK runs in happy-dom, everything else in Node.
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'protocol', root: 'packages/protocol', environment: 'node' } },
      { test: { name: 'scoring', root: 'packages/scoring', environment: 'node' } },
      { test: { name: 'client', root: 'packages/client', environment: 'node' } },
      { test: { name: 'sdk', root: 'sdk', environment: 'happy-dom' } },
      { test: { name: 'examples', root: 'examples', environment: 'node' } },
      {
        test: {
          name: 'collector',
          root: 'collector',
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          root: 'test',
          environment: 'node',
          include: ['**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
