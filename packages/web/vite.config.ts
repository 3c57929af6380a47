/**
 * Vite build of the web UI. JSX goes through esbuild's automatic runtime (no @vitejs/plugin-react:
 * it does not install alongside vite 7 here, and the UI needs no fast refresh). Workspace packages
 * resolve to their sources, as in vitest.config.ts, so the UI builds without `tsc -b` first.
 */
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const packages = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  esbuild: { jsx: 'automatic' },
  resolve: {
    alias: [{ find: /^@cordon\/(protocol|api-client)$/, replacement: `${packages}$1/src/index.ts` }],
  },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, target: 'es2022' },
  server: {
    // `npm run dev -w @cordon/web` against a server on :8080.
    proxy: { '/api': 'http://127.0.0.1:8080', '/ui': 'http://127.0.0.1:8080' },
  },
});
