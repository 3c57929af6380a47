import type { FastifyPluginAsync } from 'fastify';

/**
 * Marks a plugin so its hooks, handlers and decorations apply to the whole app, not only inside its
 * own encapsulation context: the same two symbols `fastify-plugin` sets, written here so the server
 * does not need that package for this alone.
 */
export function globalPlugin<Options extends object>(name: string, plugin: FastifyPluginAsync<Options>): FastifyPluginAsync<Options> {
  const marked = plugin as FastifyPluginAsync<Options> & Record<symbol, unknown>;
  marked[Symbol.for('skip-override')] = true;
  marked[Symbol.for('fastify.display-name')] = name;
  return plugin;
}
