/**
 * The OpenAPI 3.1 document of the public API at `/openapi.json`, and a reference page at `/docs`.
 * @fastify/swagger builds the document from the route schemas themselves (the protocol TypeBox
 * schemas that validate requests), so the document cannot drift from what the server enforces.
 * Register BEFORE the routes: it collects them through an onRoute hook.
 *
 * Nothing secret goes in: the document is built from schemas and these options only, and is served
 * without authentication like Entra's discovery documents.
 */
import type { FastifyPluginAsync, RouteOptions } from 'fastify';
import swagger from '@fastify/swagger';
import {
  ErrorBodySchema,
  MachineActionSchema,
  MachineSchema,
  ODataLinkSchema,
  ACTION_SPECS,
  OPERATION_PERMISSIONS,
  requiredPermissionsText,
  type OperationId,
} from '@cordon/protocol';
import { globalPlugin } from './global-plugin.js';
import { LibraryFileSchema, ODATA_OPERATIONS, ODATA_QUERY, OPERATION_DOC_EXTRAS, SCHEMA_IDS, TOKEN_FORM, TOKEN_REPLY, operationResponses } from './openapi-responses.js';
import { DOCS_CSP, DOCS_HTML, DOCS_SCRIPT } from './openapi-docs-page.js';

export interface OpenApiOptions {
  /** The address clients use (config.publicUrl); the document's server and token URL. */
  publicUrl: string;
  /** API version shown in `info.version`. */
  version?: string;
  /** When the server has one tenant, its id makes the token URL concrete. */
  tenantId?: string;
}

type RouteSchema = Record<string, unknown>;

export const openApiPlugin: FastifyPluginAsync<OpenApiOptions> = globalPlugin('cordon-openapi', async (app, options) => {
  const publicUrl = options.publicUrl.replace(/\/+$/, '');
  const tenant = options.tenantId ?? '{tenantId}';
  const shared = [
    [SCHEMA_IDS.action, MachineActionSchema],
    [SCHEMA_IDS.machine, MachineSchema],
    [SCHEMA_IDS.error, ErrorBodySchema],
    [SCHEMA_IDS.link, ODataLinkSchema],
    [SCHEMA_IDS.library, LibraryFileSchema],
  ] as const;
  for (const [id, schema] of shared) app.addSchema({ ...schema, $id: id });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Cordon API',
        version: options.version ?? '1.0',
        description:
          'Self-hosted endpoint response with a Microsoft Defender for Endpoint compatible machine-actions API. ' +
          'Every path is also served under /api/v1.0. Authenticate with an OAuth2 client-credentials token from ' +
          `${publicUrl}/${tenant}/oauth2/v2.0/token and send it as "Authorization: Bearer <token>".`,
      },
      servers: [{ url: publicUrl }],
      components: {
        securitySchemes: {
          oauth2: {
            type: 'oauth2',
            description: 'Client credentials against the tenant token endpoint (Entra-compatible); scope https://api.securitycenter.microsoft.com/.default',
            flows: { clientCredentials: { tokenUrl: `${publicUrl}/${tenant}/oauth2/v2.0/token`, scopes: {} } },
          },
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        },
      },
      tags: [
        { name: 'Machine actions', description: 'List, get and cancel actions (MDE /machineactions)' },
        { name: 'Response actions', description: 'Create actions on a machine' },
        { name: 'Machines', description: 'Devices and their tags' },
        { name: 'Live response library', description: 'Scripts and files for live response' },
        { name: 'Authentication', description: 'Tokens and discovery' },
        { name: 'Downloads', description: 'Signed, short-lived links to packages and live response results' },
        { name: 'Web UI session', description: 'Sign-in for people (cookie session, CSRF header) and delegated tokens' },
      ],
    },
    // Name components after the $id given to addSchema above (the default is `def-N`).
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
    transform: ({ schema, url, route }) => ({ schema: documentRoute(url, (schema ?? {}) as RouteSchema, route as RouteOptions) as never, url }),
  });

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  const page = (type: string, body: string) => ({ schema: { hide: true } as const, handler: async (_req: unknown, reply: import('fastify').FastifyReply) => reply.type(type).header('content-security-policy', DOCS_CSP).send(body) });
  app.get('/docs', page('text/html; charset=utf-8', DOCS_HTML));
  app.get('/docs/app.js', page('text/javascript; charset=utf-8', DOCS_SCRIPT));
});

/** The token endpoint takes a form (mde-api.md §1.2); its route has no body schema to publish. */
const TOKEN_DOC = { summary: 'Get an access token (client credentials)', consumes: ['application/x-www-form-urlencoded'], body: TOKEN_FORM, response: { 200: TOKEN_REPLY } };

/** Every action-creating operation, live response included (protocol ACTION_CATALOG). */
const ACTION_OPERATIONS = new Set<string>(ACTION_SPECS.map((s) => s.operation));

/** Adds what the document needs (id, tag, security, responses, OData query) to one route's schema. */
export function documentRoute(url: string, schema: RouteSchema, route: Pick<RouteOptions, 'config'>): RouteSchema {
  // The /api/v1.0 mount duplicates /api (mde-api.md §1.1): document it once, in the description.
  if (/^\/api\/v1\.0(\/|$)/i.test(url)) return { ...schema, hide: true };
  // The agent channel (enroll, WebSocket, long-poll) is the agent's signed protocol, not an API to call.
  if (/^\/agent\//i.test(url)) return { ...schema, hide: true };
  const operation = (route.config as { operation?: OperationId } | undefined)?.operation;
  if (!operation || !(operation in OPERATION_PERMISSIONS)) {
    const auth = /oauth2|openid|discovery/i.test(url);
    const tag = auth ? 'Authentication' : /^\/ui\//i.test(url) ? 'Web UI session' : /^\/downloads\//i.test(url) ? 'Downloads' : 'Other';
    return { ...schema, ...(auth && /\/oauth2\/(v2\.0\/)?token$/i.test(url) ? TOKEN_DOC : {}), tags: schema.tags ?? [tag] };
  }
  const out: RouteSchema = {
    ...schema,
    ...OPERATION_DOC_EXTRAS[operation],
    operationId: operation,
    summary: schema.summary ?? sentence(operation),
    description:
      schema.description ??
      `Application permissions: ${requiredPermissionsText(operation, 'app')}. Delegated permissions: ${requiredPermissionsText(operation, 'delegated')}.`,
    tags: [tagOf(url, operation)],
    security: [{ oauth2: [] }, { bearer: [] }],
  };
  const responses = operationResponses(operation);
  if (responses && !schema.response) out.response = responses;
  if (ODATA_OPERATIONS.has(operation) && !out.querystring) out.querystring = ODATA_QUERY;
  return out;
}

function tagOf(url: string, operation: string): string {
  if (ACTION_OPERATIONS.has(operation)) return 'Response actions';
  if (/^\/api\/machineactions/i.test(url)) return 'Machine actions';
  if (/^\/api\/libraryfiles/i.test(url)) return 'Live response library';
  if (/^\/api\/machines/i.test(url)) return 'Machines';
  return 'Other';
}

/** `listMachineActions` → `List machine actions`. */
function sentence(id: string): string {
  const words = id.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
