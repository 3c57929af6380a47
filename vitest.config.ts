import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

// Tests import workspace packages by name; resolve them to sources so `vitest` needs no build.
// `@cordon/x` -> packages/x/src/index.ts, `@cordon/x/sub` -> packages/x/src/sub/index.ts.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@cordon\/([a-z-]+)$/, replacement: `${root}packages/$1/src/index.ts` },
      { find: /^@cordon\/([a-z-]+)\/([a-z-]+)$/, replacement: `${root}packages/$1/src/$2/index.ts` },
    ],
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'e2e/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    reporters: ['default', './tools/summary-reporter.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
