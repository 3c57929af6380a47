/**
 * What the OpenAPI document says each operation answers. Only the document uses these: routes keep
 * serializing with JSON.stringify, because a Fastify response schema would drop the `@odata.*`
 * annotations and Cordon extensions that are not in the schema.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { ACTION_SPECS, TimelineEntrySchema, type OperationId } from '@cordon/protocol';

/** Shared schemas, registered with addSchema so the document lists them once under components. */
export const SCHEMA_IDS = { action: 'MachineAction', machine: 'Machine', error: 'Error', link: 'ODataLink', library: 'LibraryFile' } as const;

const ref = (id: string) => Type.Unsafe({ $ref: `${id}#` });
const entity = (id: string) => ref(id);
const collection = (id: string, name: string) =>
  Type.Object(
    {
      '@odata.context': Type.String({ examples: [`https://cordon.example/api/$metadata#${name}`] }),
      '@odata.count': Type.Optional(Type.Integer({ description: 'With $count=true' })),
      value: Type.Array(ref(id)),
      '@odata.nextLink': Type.Optional(Type.String({ description: 'Present when more rows remain; follow it as-is' })),
    },
    { description: `A page of ${name}` },
  );

/** The live response library entry (mde-api.md §4.11); protocol has no interface for it yet. */
export const LibraryFileSchema = Type.Object({
  fileName: Type.String(),
  sha256: Type.String(),
  description: Type.Union([Type.String(), Type.Null()]),
  creationTime: Type.String(),
  lastUpdatedTime: Type.String(),
  createdBy: Type.String(),
  hasParameters: Type.Boolean(),
  parametersDescription: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  size: Type.Optional(Type.Integer({ description: 'Cordon extension: the content size in bytes' })),
});

/** A page of the device timeline (Cordon extension). */
const TIMELINE_PAGE = Type.Object({
  '@odata.context': Type.String(),
  value: Type.Array(TimelineEntrySchema),
  '@odata.nextLink': Type.Optional(Type.String({ description: 'Present when more entries remain; follow it as-is' })),
});

type Responses = Record<string, TSchema | { description: string }>;

const ok = (code: number, schema: TSchema, description: string): Responses => ({ [code]: { ...schema, description } });

function successResponses(operation: OperationId): Responses | undefined {
  const action = ACTION_SPECS.find((s) => s.operation === operation && s.createdBy === 'responseAction');
  if (action) return ok(action.status, entity(SCHEMA_IDS.action), `The ${action.type} action, usually Pending`);
  switch (operation) {
    case 'listMachineActions':
      return ok(200, collection(SCHEMA_IDS.action, 'MachineActions'), 'Machine actions, newest first');
    case 'getMachineAction':
      return ok(200, entity(SCHEMA_IDS.action), 'The machine action');
    case 'cancelMachineAction':
      return ok(200, entity(SCHEMA_IDS.action), 'The action, now Cancelled');
    case 'runLiveResponse':
      return ok(201, entity(SCHEMA_IDS.action), 'The LiveResponse action');
    case 'getPackageUri':
    case 'getLiveResponseResultDownloadLink':
    case 'getLibraryFileDownloadLink':
      return ok(200, ref(SCHEMA_IDS.link), 'A short-lived download link');
    case 'listMachines':
    case 'findMachinesByTag':
    case 'findMachinesByIp':
    case 'addOrRemoveTagForMultipleMachines':
      return ok(200, collection(SCHEMA_IDS.machine, 'Machines'), 'Machines');
    case 'getMachine':
    case 'addOrRemoveTag':
    case 'updateMachine':
      return ok(200, entity(SCHEMA_IDS.machine), 'The machine');
    case 'listLibraryFiles':
      return ok(200, collection(SCHEMA_IDS.library, 'LibraryFiles'), 'Library files');
    case 'uploadLibraryFile':
      return ok(200, ref(SCHEMA_IDS.library), 'The stored library file');
    case 'deleteLibraryFile':
      return { 204: { description: 'Deleted' } };
    case 'getMachineTimeline':
      return ok(200, TIMELINE_PAGE, "The device's actions, alerts and state changes, newest first");
    default:
      return undefined;
  }
}

const ERROR_STATUSES: Record<number, string> = {
  400: 'Invalid request (InvalidRequestBody, MissingRequiredParameter, ODataError, ActiveRequestAlreadyExists; BadRequest for a machine name several machines share, listing their ids; ...)',
  401: 'Missing, invalid or expired bearer token (Unauthorized)',
  403: 'The token lacks the required permission (Forbidden)',
  404: 'No such resource (ResourceNotFound)',
  429: 'Rate limit reached (TooManyRequests); see Retry-After',
};

/** Success and error responses of an authenticated API operation; undefined for unknown ones. */
export function operationResponses(operation: OperationId): Responses | undefined {
  const success = successResponses(operation);
  if (!success) return undefined;
  const errors: Responses = {};
  for (const [code, description] of Object.entries(ERROR_STATUSES)) errors[code] = { ...ref(SCHEMA_IDS.error), description };
  return { ...success, ...errors };
}

/** OData system query options of collection operations (mde-api.md §2.4). */
export const ODATA_QUERY = Type.Object({
  $filter: Type.Optional(Type.String({ description: "OData filter, e.g. status eq 'Pending'" })),
  $top: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000, description: 'Page size (max 10,000)' })),
  $skip: Type.Optional(Type.Integer({ minimum: 0 })),
  $orderby: Type.Optional(Type.String({ description: 'e.g. creationDateTimeUtc desc' })),
  $select: Type.Optional(Type.String({ description: 'Comma-separated property names' })),
  $count: Type.Optional(Type.Boolean({ description: 'Adds @odata.count' })),
});

export const ODATA_OPERATIONS: ReadonlySet<string> = new Set(['listMachineActions', 'listMachines']);

/** Token request form (names only; values are the caller's). */
export const TOKEN_FORM = Type.Object({
  grant_type: Type.Literal('client_credentials'),
  client_id: Type.String(),
  client_secret: Type.String({ format: 'password' }),
  scope: Type.Optional(Type.String({ examples: ['https://api.securitycenter.microsoft.com/.default'] })),
});

export const TOKEN_REPLY = Type.Object(
  { token_type: Type.Literal('Bearer'), expires_in: Type.Integer({ description: 'Seconds' }), access_token: Type.String() },
  { description: 'The access token' },
);

/**
 * Documentation for routes whose input is read by hand rather than by a schema: the multipart
 * library upload (mde-api.md §4.11) and the OData function segment of the live response link (§4.10).
 */
export const OPERATION_DOC_EXTRAS: Partial<Record<OperationId, Record<string, unknown>>> = {
  listMachines: {
    querystring: Type.Object({
      ...ODATA_QUERY.properties,
      outdatedAgents: Type.Optional(Type.Boolean({ description: "Cordon extension: true keeps devices whose agentVersion is not this server's release (agents to upgrade)" })),
    }),
  },
  uploadLibraryFile: {
    consumes: ['multipart/form-data'],
    body: Type.Object({
      File: Type.String({ format: 'binary', description: 'The script or file (at most 20 MB)' }),
      Description: Type.Optional(Type.String()),
      ParametersDescription: Type.Optional(Type.String()),
      HasParameters: Type.Optional(Type.Boolean()),
      OverrideIfExists: Type.Optional(Type.Boolean()),
    }),
  },
  getLiveResponseResultDownloadLink: {
    params: Type.Object({
      id: Type.String({ description: 'LiveResponse action id' }),
      fn: Type.String({ description: 'GetLiveResponseResultDownloadLink(index=N), N the 0-based command index', examples: ['GetLiveResponseResultDownloadLink(index=0)'] }),
    }),
  },
};
