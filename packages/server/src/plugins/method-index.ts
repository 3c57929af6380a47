/**
 * Which methods exist for a path, to answer 405 instead of Fastify's 404 (Fastify deliberately
 * does not tell them apart, fastify#862). Every route is mirrored into a private find-my-way, the
 * router Fastify itself uses, so path syntax (params, wildcards, regex params) matches the same way.
 */
import FindMyWay from 'find-my-way';
import type { FastifyInstance } from 'fastify';

type Method = Parameters<ReturnType<typeof FindMyWay>['find']>[0];

export interface MethodIndex {
  /** Methods with a route for `path`, other than those in `except`. */
  allowed(path: string, except: string): string[];
}

/** Starts indexing the routes registered from now on (register it before the routes). */
export function indexRouteMethods(app: FastifyInstance): MethodIndex {
  // Lenient matching on purpose: a false "exists" only turns a 404 into a 405 for a real path.
  const router = FindMyWay({ caseSensitive: false, ignoreTrailingSlash: true, ignoreDuplicateSlashes: true });
  const methods = new Set<string>();
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      methods.add(method);
      try {
        router.on(method as Method, route.url, () => undefined);
      } catch {
        // Same path twice (e.g. under constraints): already indexed, which is all we need.
      }
    }
  });
  return {
    allowed(path, except) {
      const result: string[] = [];
      for (const m of methods) if (m !== except && m !== 'HEAD' && router.find(m as Method, path)) result.push(m);
      return result;
    },
  };
}
