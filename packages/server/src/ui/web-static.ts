/**
 * Serves the built web UI (packages/web/dist) at `/`. The SPA routes with the URL hash
 * (`/#/devices/...`), so every page loads from `/` and needs no server-side fallback route.
 * `wildcard: false` registers one route per built file instead of a catch-all `GET /*`, which would
 * otherwise swallow unknown paths (and turn 404s for other methods into 405s, error-handler.ts).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync } from 'fastify';
import fastifyStatic from '@fastify/static';

/** packages/web/dist, from packages/server/{src,dist}/plugins. */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

export const webStaticPlugin: FastifyPluginAsync<{ root?: string }> = async (app, options) => {
  const root = options.root ?? DEFAULT_WEB_ROOT;
  if (!existsSync(`${root}/index.html`)) {
    app.log.warn({ root }, 'web UI not built; run `npm run build -w @cordon/web`');
    // Not an API: kept out of the OpenAPI document, which must not depend on whether the UI is built.
    app.get('/', { schema: { hide: true } }, async (_request, reply) => {
      reply.type('text/html; charset=utf-8');
      return '<!doctype html><title>Cordon</title><p>The web UI is not built. Run <code>npm run build -w @cordon/web</code> and restart the server.</p>';
    });
    return;
  }
  await app.register(fastifyStatic, {
    root,
    wildcard: false,
    index: ['index.html'],
    setHeaders(res, path) {
      // Hashed asset names may be cached for good; index.html must be re-read to pick up new builds.
      res.header('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
      res.header('x-content-type-options', 'nosniff');
      res.header('content-security-policy', "default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'");
    },
  });
};
