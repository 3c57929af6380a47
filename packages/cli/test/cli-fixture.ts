/**
 * The per-test fixture of the CLI tests: a fake API server and a CLI sandbox, so tests run
 * concurrently (each spawns a node process).
 */
import { it as base } from 'vitest';
import { startFakeServer, tokenReply, type FakeHandler, type FakeServer, type RecordedRequest } from '@cordon/api-client/testing';
import { cliSandbox, type CliSandbox } from './cli-harness.js';

export interface Ctx {
  server: FakeServer;
  cli: CliSandbox;
  /** Answers API requests; token requests go to `tokenHandler`. */
  handler: FakeHandler;
  tokenHandler: FakeHandler;
  /** Env that signs in without a profile file. */
  creds(): Record<string, string>;
  /** Requests other than token requests. */
  api(): RecordedRequest[];
  body(i: number): unknown;
}

export const it = base.extend<{ ctx: Ctx }>({
  // eslint-disable-next-line no-empty-pattern -- vitest fixtures must destructure their first argument
  ctx: async ({}, use) => {
    const ctx = {
      handler: () => ({ status: 500, body: 'no handler' }),
      tokenHandler: () => tokenReply('tok'),
    } as unknown as Ctx;
    ctx.server = await startFakeServer((req, s) => (req.url.endsWith('/oauth2/v2.0/token') ? ctx.tokenHandler(req, s) : ctx.handler(req, s)));
    ctx.cli = await cliSandbox();
    ctx.creds = () => ({ CORDON_SERVER: ctx.server.url, CORDON_TENANT: 't1', CORDON_CLIENT_ID: 'c1', CORDON_CLIENT_SECRET: 's3cret' });
    ctx.api = () => ctx.server.requests.filter((r) => !r.url.endsWith('/token'));
    ctx.body = (i) => JSON.parse(ctx.api()[i].body.toString()) as unknown;
    await use(ctx);
    await ctx.server.close();
    await ctx.cli.cleanup();
  },
});
