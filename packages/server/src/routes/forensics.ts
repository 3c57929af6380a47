/**
 * Issue 5, forensics and live response, as one plugin for app.ts: the library, runliveresponse and
 * the result links under both API prefixes, the public signed downloads, and the agent file
 * endpoints.
 */
import type { FastifyPluginAsync } from 'fastify';
import { isFinalStatus } from '@cordon/protocol';
import { LibraryService, LiveResponseService, type ActionResultService, type ActionService, type Clock } from '@cordon/core';
import type { Store } from '@cordon/store';
import { DownloadLinks } from '../downloads/link-signer.js';
import type { ActionBus } from '../events/action-bus.js';
import { agentFileRoutes, type ResultLimits } from './agent-files.js';
import { downloadRoutes } from './downloads.js';
import { libraryFileRoutes } from './library-files.js';
import { liveResponseRoutes } from './live-response.js';
import { resultLinkRoutes } from './result-links.js';

export interface ForensicsOptions {
  store: Pick<Store, 'blobs' | 'library' | 'secrets' | 'agents' | 'nonces'>;
  actions: ActionService;
  /** Result uploads, orphan deletion and retention. */
  results: ActionResultService;
  bus: ActionBus;
  clock: Clock;
  resultLimits?: Partial<ResultLimits>;
  /** Origin of download links (the configured public URL). */
  publicUrl: string;
  /** Download link lifetime (ms); default 30 minutes. */
  linkTtlMs?: number;
}

export const forensicsPlugin: FastifyPluginAsync<ForensicsOptions> = async (app, options) => {
  const { store, actions, results, clock } = options;
  const library = new LibraryService({ library: store.library, blobs: store.blobs, clock });
  const liveResponse = new LiveResponseService({ actions, library });
  const links = new DownloadLinks({ secrets: store.secrets, clock, ...(options.linkTtlMs !== undefined ? { ttlMs: options.linkTtlMs } : {}) });
  for (const prefix of ['/api', '/api/v1.0']) {
    await app.register(
      async (api) => {
        await api.register(libraryFileRoutes, { library });
        await api.register(liveResponseRoutes, { liveResponse });
        await api.register(resultLinkRoutes, { actions, blobs: store.blobs, results, links, publicUrl: options.publicUrl });
      },
      { prefix },
    );
  }
  await app.register(downloadRoutes, { blobs: store.blobs, links });
  await app.register(agentFileRoutes, { agents: store.agents, nonces: store.nonces, clock, actions, library, blobs: store.blobs, results, ...(options.resultLimits ? { limits: options.resultLimits } : {}) });
  // When an action ends here, the results it does not reference go at once (the retention job's
  // sweep catches any this process stopped before deleting).
  const unsubscribe = options.bus.subscribe(({ action }) => {
    if (!isFinalStatus(action.status)) return;
    results.settle(action).then(
      (deleted) => deleted > 0 && app.log.info({ actionId: action.id, deleted }, 'unreferenced results deleted'),
      (err: unknown) => app.log.error({ err, actionId: action.id }, 'deleting unreferenced results failed; the retention job will retry'),
    );
  });
  app.addHook('onClose', async () => unsubscribe());
};
