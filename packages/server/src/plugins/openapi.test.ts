import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { ActionService, LogonUserService, MachineService } from '@cordon/core';
import { openStore, type Store } from '@cordon/store';
import { IsolateBody, toMdeTimestamp } from '@cordon/protocol';
import { documentRoute, openApiPlugin } from './openapi.js';
import { errorHandlerPlugin } from './error-handler.js';
import { machineActionRoutes } from '../routes/machine-actions.js';
import { responseActionRoutes } from '../routes/response-actions.js';
import { machineRoutes } from '../routes/machines.js';
import { agentInstallRoutes, agentPackageApiRoutes } from '../routes/agent-packages.js';
import { oauthRoutes } from '../routes/oauth.js';
import { createApplication } from '../auth/index.js';

const clock = { now: () => Date.UTC(2026, 10, 21) };
const ids = { uuid: () => crypto.randomUUID() };

/** The slice of buildApp the document covers, with the plugin registered before the routes as app.ts must. */
async function buildDocumentedApp(store: Store): Promise<FastifyInstance> {
  const app = Fastify({ routerOptions: { caseSensitive: false, ignoreTrailingSlash: true } });
  await app.register(openApiPlugin, { publicUrl: 'https://cordon.example/' });
  await app.register(errorHandlerPlugin);
  await app.register(oauthRoutes, { identity: store.identity, clock, issuerBase: 'https://cordon.example/sts', publicUrl: 'https://cordon.example' });
  const actions = new ActionService({ actions: store.actions, machines: store.machines, clock, ids, events: { publish: () => undefined }, timeouts: { pendingExpiryMs: 1000, runTimeoutMs: {} } } as never);
  const machines = new MachineService({ machines: store.machines });
  const logonUsers = new LogonUserService({ logonUsers: store.logonUsers, machines: store.machines });
  const agentPackages = { agents: store.agents, identity: store.identity, clock, publicUrl: 'https://cordon.example', agentServerUrls: ['https://cordon.example'], tlsCertPem: undefined };
  for (const prefix of ['/api', '/api/v1.0']) {
    await app.register(
      async (api) => {
        await api.register(machineActionRoutes, { actions });
        await api.register(responseActionRoutes, { actions });
        await api.register(machineRoutes, { machines, logonUsers });
        await api.register(agentPackageApiRoutes, agentPackages);
      },
      { prefix },
    );
  }
  await app.register(agentInstallRoutes, agentPackages);
  return app;
}

type Doc = {
  openapi: string;
  info: { title: string };
  servers: Array<{ url: string }>;
  paths: Record<string, Record<string, any>>;
  components: { schemas: Record<string, any>; securitySchemes: Record<string, any> };
};

let store: Store;
let app: FastifyInstance;
beforeEach(async () => {
  store = await openStore({ sqlitePath: ':memory:' });
  app = await buildDocumentedApp(store);
});
afterEach(async () => {
  await app.close();
  await store.close();
});

const getDoc = async () => (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as Doc;

describe('openApiPlugin', () => {
  it('should hide the /api/v1.0 duplicates and the agent channel, and tag other routes', () => {
    expect(documentRoute('/api/v1.0/machines', {}, { config: { operation: 'listMachines' } } as never)).toEqual({ hide: true });
    expect(documentRoute('/agent/v1/enroll', {}, { config: {} } as never)).toEqual({ hide: true });
    expect(documentRoute('/ui/session', {}, { config: {} } as never)).toEqual({ tags: ['Web UI session'] });
    expect(documentRoute('/healthz', {}, { config: {} } as never)).toEqual({ tags: ['Other'] });
  });

  it('should serve an OpenAPI 3.1 document with the OAuth2 client-credentials scheme', async () => {
    const res = await app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as Doc;
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers).toEqual([{ url: 'https://cordon.example' }]);
    expect(doc.components.securitySchemes.oauth2).toMatchObject({
      type: 'oauth2',
      flows: { clientCredentials: { tokenUrl: 'https://cordon.example/{tenantId}/oauth2/v2.0/token', scopes: {} } },
    });
  });

  it('should document each API operation once, under /api, with its operation id and tag', async () => {
    const doc = await getDoc();
    const ops = Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([m, op]) => `${m.toUpperCase()} ${path} ${op.operationId ?? '-'} [${op.tags}]`));
    expect(ops).toEqual(
      expect.arrayContaining([
        'GET /api/machineactions listMachineActions [Machine actions]',
        'GET /api/machineactions/{id} getMachineAction [Machine actions]',
        'POST /api/machineactions/{id}/cancel cancelMachineAction [Machine actions]',
        'POST /api/machines/{id}/isolate isolate [Response actions]',
        'POST /api/machines/{id}/offboard offboard [Response actions]',
        'POST /api/machines/{id}/StopAndQuarantineFile stopAndQuarantineFile [Response actions]',
        'GET /api/machines listMachines [Machines]',
        'POST /api/machines/{id}/tags addOrRemoveTag [Machines]',
      ]),
    );
    expect(Object.keys(doc.paths).filter((p) => /v1\.0|openapi|docs/i.test(p))).toEqual([]);
    const token = doc.paths['/{tenantId}/oauth2/v2.0/token'].post;
    expect(token.tags).toEqual(['Authentication']);
    expect(Object.keys(token.requestBody.content)).toEqual(['application/x-www-form-urlencoded']);
    expect(token.responses['200'].content['application/json'].schema.required).toEqual(['token_type', 'expires_in', 'access_token']);
  });

  it('should take request bodies from the same schemas that validate requests', async () => {
    const op = (await getDoc()).paths['/api/machines/{id}/isolate'].post;
    const body = op.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(IsolateBody.required);
    expect(body.additionalProperties).toBe(false);
    expect(Object.keys(body.properties)).toEqual(Object.keys(IsolateBody.properties));
    expect(op.parameters).toEqual([expect.objectContaining({ in: 'path', name: 'id', required: true })]);
    expect(op.security).toEqual([{ oauth2: [] }, { bearer: [] }]);
    expect(op.description).toContain('Machine.Isolate');
  });

  it('should document the agent package extension and the outdated-agents filter', async () => {
    const doc = await getDoc();
    const create = doc.paths['/api/cordon/agentPackages'].post;
    expect(create.operationId).toBe('createAgentPackage');
    expect(create.description).toContain('Machine.ReadWrite.All');
    expect(Object.keys(create.requestBody.content['application/json'].schema.properties)).toEqual(['maxUses', 'expiresInHours']);
    expect(Object.keys(create.responses['201'].content['application/json'].schema.properties)).toEqual(['expiresAt', 'maxUses', 'debUrl', 'tarUrl', 'installScriptUrl', 'installCommand']);
    expect(doc.paths['/cordon/agent-install/{secret}/{file}'].get.tags).toEqual(['Downloads']);
    expect(doc.paths['/api/machines'].get.parameters.map((p: { name: string }) => p.name)).toEqual(['$filter', '$top', '$skip', '$orderby', '$select', '$count', 'outdatedAgents']);
  });

  it('should describe responses with the shared entity and error schemas', async () => {
    const doc = await getDoc();
    const isolate = doc.paths['/api/machines/{id}/isolate'].post.responses;
    expect(isolate['201'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/MachineAction' });
    expect(isolate['404'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
    expect(doc.paths['/api/machines/{id}/offboard'].post.responses['200']).toBeDefined();
    const list = doc.paths['/api/machineactions'].get;
    expect(list.responses['200'].content['application/json'].schema.properties.value.items).toEqual({ $ref: '#/components/schemas/MachineAction' });
    expect(list.parameters.map((p: { name: string }) => p.name)).toEqual(['$filter', '$top', '$skip', '$orderby', '$select', '$count']);
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['MachineAction', 'Machine', 'Error', 'ODataLink', 'LibraryFile']));
    expect(doc.components.schemas.MachineAction.properties.status.anyOf.map((s: { enum: string[] }) => s.enum[0])).toEqual([
      'Pending', 'InProgress', 'Succeeded', 'Failed', 'TimeOut', 'Cancelled',
    ]);
  });

  it('should not put client secrets or signing keys in the document', async () => {
    const tenantId = crypto.randomUUID();
    await store.identity.createTenant({ id: tenantId, name: 't', createdAt: toMdeTimestamp(clock.now()) });
    const created = await createApplication(store.identity, { tenantId, name: 'soar', roles: ['Machine.Isolate'] }, { clock, ids });
    const text = (await app.inject({ method: 'GET', url: '/openapi.json' })).body;
    expect(text).not.toContain(created.clientSecret);
    expect(text).not.toMatch(/PRIVATE KEY|"d":"/);
  });

  it('should serve a self-contained /docs page that loads nothing from other origins', async () => {
    const page = await app.inject({ method: 'GET', url: '/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.body).toContain('<script src="/docs/app.js"></script>');
    expect(page.body).not.toMatch(/(src|href)="https?:/);
    const script = await app.inject({ method: 'GET', url: '/docs/app.js' });
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.body).toContain("fetch('/openapi.json')");
    expect(script.body).not.toMatch(/https?:\/\/|innerHTML/);
  });
});
