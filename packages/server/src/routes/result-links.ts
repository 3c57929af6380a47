/**
 * Download links for results (mde-api.md §4.7, §4.10):
 * `GET /machineactions/{id}/getPackageUri` and
 * `GET /machineactions/{id}/GetLiveResponseResultDownloadLink(index=N)` (an OData function call in
 * the path segment, client-wire-facts 3). Both answer `{"@odata.context":"...#Edm.String","value":"<url>"}`.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { DomainError, commandResultOf, packageResultOf, type ActionResultService, type ActionService, type BlobStore, type CommandResultRef } from '@cordon/core';
import { resultKindsOf } from '@cordon/protocol';
import { callerOf } from '../caller-of.js';
import { contextUrl } from '../odata-response.js';
import type { DownloadLinks } from '../downloads/link-signer.js';
import { commandResultFileName, packageFileName } from '../downloads/file-names.js';

export interface ResultLinkRoutesOptions {
  actions: ActionService;
  blobs: BlobStore;
  /** Says why a result is gone (deleted after retention) in the 404. */
  results: ActionResultService;
  links: DownloadLinks;
  /**
   * Origin of the links (the configured public URL). Never the request's Host header: a client
   * could otherwise have us mint links to a host of its choosing for others to follow.
   */
  publicUrl: string;
}

const IdParams = Type.Object({ id: Type.String() });
const FnParams = Type.Object({ id: Type.String(), fn: Type.String() });
const LIVE_RESPONSE_LINK = /^GetLiveResponseResultDownloadLink\(\s*index\s*=\s*([^)]*?)\s*\)$/i;

export const resultLinkRoutes: FastifyPluginAsync<ResultLinkRoutesOptions> = async (app, { actions, blobs, results, links, publicUrl }) => {
  const base = publicUrl.replace(/\/+$/, '');
  const linkBody = async (request: FastifyRequest, tenantId: string, ref: CommandResultRef, fileName: string) => {
    const blob = await blobs.stat(ref.blobId);
    if (!blob || blob.tenantId !== tenantId) throw new DomainError('ResourceNotFound', await results.goneMessage(tenantId, ref.blobId));
    return { '@odata.context': contextUrl(request, 'Edm.String'), value: await links.mint(base, blob.id, fileName) };
  };

  app.get<{ Params: { id: string } }>(
    '/machineactions/:id/getPackageUri',
    { config: { operation: 'getPackageUri', rateFamily: 'getPackageUri' }, schema: { params: IdParams } },
    async (request) => {
      const { tenantId } = callerOf(request);
      const action = await actions.get(tenantId, request.params.id);
      if (!resultKindsOf(action.type).includes('package')) throw new DomainError('ResourceNotFound', `Machine action ${action.id} is not a CollectInvestigationPackage action`);
      const ref = action.status === 'Succeeded' ? packageResultOf(action) : null;
      // 404 while not complete (mde-api.md §4.7, I-5901).
      if (!ref) throw new DomainError('ResourceNotFound', `The investigation package is not available: action is ${action.status}`);
      return linkBody(request, tenantId, ref, packageFileName(action.computerDnsName, action.machineId, action.id));
    },
  );

  app.get<{ Params: { id: string; fn: string } }>(
    '/machineactions/:id/:fn',
    { config: { operation: 'getLiveResponseResultDownloadLink' }, schema: { params: FnParams } },
    async (request) => {
      const m = LIVE_RESPONSE_LINK.exec(request.params.fn);
      if (!m) throw new DomainError('NotFound', `No resource matches GET ${request.url.split('?')[0]!.slice(0, 200)}`);
      const index = /^-?\d{1,9}$/.test(m[1]!) ? Number(m[1]) : NaN;
      if (!Number.isInteger(index)) throw new DomainError('InvalidInput', `Invalid input index=${m[1]!.slice(0, 20)}: the index is a command number (0, 1, ...)`);
      const { tenantId } = callerOf(request);
      const action = await actions.get(tenantId, request.params.id);
      const found = commandResultOf(action, index);
      if (!found.ok) throw new DomainError(found.code, found.message);
      return linkBody(request, tenantId, found.result, commandResultFileName(action.id, index, found.command.command));
    },
  );
};
