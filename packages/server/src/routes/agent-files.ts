/**
 * Agent file transfer, authenticated by the device's own signature like every agent
 * endpoint (dispatch/device-auth.ts), never by API tokens:
 *
 * - `GET  /agent/v1/library/<fileName>`: a library file of the device's tenant (PutFile, RunScript);
 *   the `x-cordon-content-sha256` header carries its hash, which the agent verifies.
 * - `POST /agent/v1/actions/<actionId>/results/<name>`: a result of an InProgress action of this
 *   device, streamed (`application/octet-stream`). The device signs the request with the content's
 *   SHA-256 as body hash (`x-cordon-content-sha256`); the server hashes while streaming and stores
 *   nothing unless they match (400). Size caps by kind (413 past them). Only the results the
 *   action's commands produce are taken, one each (`x-cordon-command-index` names a live response
 *   command; core's resultSlotFor): anything else is refused with 400 before a byte is stored.
 */
import { Readable } from 'node:stream';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { AGENT_FILE_HEADERS, RESULT_MAX_BYTES, agentLibraryPath, agentResultPath } from '@cordon/protocol';
import { DomainError, resultSlotFor, type ActionResultService, type ActionService, type AgentStore, type BlobStore, type Clock, type DeviceCredentialRecord, type LibraryService, type RequestNonceStore, type ResultKind } from '@cordon/core';
import { DeviceAuthenticator } from '../dispatch/device-auth.js';

/** Result size caps (bytes). */
export interface ResultLimits {
  /** Investigation package zip. */
  packageBytes: number;
  /** Live response GetFile (MDE: 3 GB, mde-api.md §7). */
  getFileBytes: number;
  /** Live response RunScript transcript (JSON). */
  transcriptBytes: number;
}

/** The protocol limits by result kind, which the agent also applies before it uploads. */
export const DEFAULT_RESULT_LIMITS: ResultLimits = {
  packageBytes: RESULT_MAX_BYTES.package,
  getFileBytes: RESULT_MAX_BYTES.file,
  transcriptBytes: RESULT_MAX_BYTES.transcript,
};

/** Content types an agent may declare for a result; anything else is stored as octet-stream. */
const RESULT_TYPES = new Set(['application/zip', 'application/json', 'application/octet-stream']);

export interface AgentFileRoutesOptions {
  agents: AgentStore;
  nonces: RequestNonceStore;
  clock: Clock;
  actions: ActionService;
  library: LibraryService;
  blobs: BlobStore;
  results: ActionResultService;
  limits?: Partial<ResultLimits>;
}

export const agentFileRoutes: FastifyPluginAsync<AgentFileRoutesOptions> = async (app, options) => {
  const { actions, library, blobs, results } = options;
  const limits = { ...DEFAULT_RESULT_LIMITS, ...options.limits };
  const auth = new DeviceAuthenticator({ agents: options.agents, nonces: options.nonces, clock: options.clock, onError: (err) => app.log.error({ err }, 'pruning expired request nonces failed') });
  const authenticate = async (request: FastifyRequest, bodySha256?: string): Promise<DeviceCredentialRecord> => {
    const path = request.url.split('?')[0]!;
    const outcome = await auth.verify({ method: request.method, path, headers: request.headers, ...(bodySha256 !== undefined ? { bodySha256 } : {}) });
    if (!outcome.ok) throw new DomainError('Unauthorized', `Device authentication failed: ${outcome.reason}`);
    return outcome.device;
  };

  // The body is the file: hand the raw stream to the route instead of buffering it.
  app.addContentTypeParser('application/octet-stream', (_request, payload, done) => done(null, payload));

  app.get<{ Params: { fileName: string } }>(agentLibraryPath(':fileName'), async (request, reply) => {
    const device = await authenticate(request);
    const file = await library.get(device.tenantId, request.params.fileName);
    const blob = await blobs.stat(file.blobId);
    if (!blob) throw new DomainError('ResourceNotFound', `Library file ${file.fileName} has no content`);
    reply.header('content-type', 'application/octet-stream').header('content-length', String(blob.size)).header(AGENT_FILE_HEADERS.contentSha256, blob.sha256);
    return reply.send(Readable.from(blobs.read(blob.id)));
  });

  app.post<{ Params: { actionId: string; name: string } }>(agentResultPath(':actionId', ':name'), async (request, reply) => {
    // A refused or failed upload leaves the rest of its body unread: close the connection rather
    // than drain gigabytes. Uploads are few, so the reconnect after a stored one costs nothing.
    reply.header('connection', 'close');
    const claimed = String(request.headers[AGENT_FILE_HEADERS.contentSha256] ?? '').toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(claimed)) throw new DomainError('InvalidRequestBody', `Header ${AGENT_FILE_HEADERS.contentSha256} must be the content's SHA-256 (64 hex)`);
    const device = await authenticate(request, claimed);
    request.allowLongBody(); // a signed device may take the hour a multi-GB result needs
    const action = await actions.get(device.tenantId, request.params.actionId);
    if (action.machineId !== device.machineId) throw new DomainError('ResourceNotFound', `Machine action ${action.id} was not found`);
    if (action.status !== 'InProgress') throw new DomainError('ActionAlreadyCompleted', `Action ${action.id} is ${action.status}; it takes no more results`);
    const declaredType = String(request.headers[AGENT_FILE_HEADERS.resultType] ?? 'application/octet-stream');
    const contentType = RESULT_TYPES.has(declaredType) ? declaredType : 'application/octet-stream';
    const commandIndex = request.headers[AGENT_FILE_HEADERS.commandIndex];
    const found = resultSlotFor(action, { commandIndex: typeof commandIndex === 'string' ? commandIndex : undefined, contentType });
    if (!found.ok) throw new DomainError(found.code, found.message);
    const max = maxBytesFor(found.slot.kind, limits);
    const length = Number(request.headers['content-length'] ?? NaN);
    if (Number.isFinite(length) && length > max) throw new DomainError('PayloadTooLarge', `The result is ${length} bytes; the limit for this result is ${max}`);
    if (!(request.body instanceof Readable)) throw new DomainError('UnsupportedMediaType', 'Send the result as application/octet-stream');
    const name = request.params.name.slice(0, 255);
    const put = await results.store(action, found.slot, request.body, { name, contentType, maxBytes: max, expectedSha256: claimed });
    if (!put.ok) {
      if (put.reason === 'TooLarge') throw new DomainError('PayloadTooLarge', `The result is larger than the ${max}-byte limit for this result; nothing was stored`);
      throw new DomainError('InvalidRequestBody', `The content's SHA-256 is ${put.actual}, not the declared ${put.expected}; nothing was stored`);
    }
    request.log.info({ actionId: action.id, blobId: put.blob.id, size: put.blob.size }, 'agent result stored');
    return reply.code(201).send({ blobId: put.blob.id, size: put.blob.size, sha256: put.blob.sha256 });
  });
};

function maxBytesFor(kind: ResultKind, limits: ResultLimits): number {
  if (kind === 'package') return limits.packageBytes;
  return kind === 'transcript' ? limits.transcriptBytes : limits.getFileBytes;
}
