/**
 * `GET /downloads/<blobId>?se=&fn=&sig=`: the target of getPackageUri and
 * GetLiveResponseResultDownloadLink. Public (no Authorization header, client-wire-facts 7): the
 * signature is the authorization. Expired or altered links get 403 Forbidden.
 */
import { Readable } from 'node:stream';
import type { FastifyPluginAsync } from 'fastify';
import { DomainError, type BlobStore } from '@cordon/core';
import type { DownloadLinks } from '../downloads/link-signer.js';
import { DOWNLOADS_PATH } from '../downloads/link-signer.js';

export interface DownloadRoutesOptions {
  blobs: BlobStore;
  links: DownloadLinks;
}

export const downloadRoutes: FastifyPluginAsync<DownloadRoutesOptions> = async (app, { blobs, links }) => {
  app.get<{ Params: { blobId: string }; Querystring: Record<string, string | undefined> }>(`${DOWNLOADS_PATH}/:blobId`, async (request, reply) => {
    const { blobId } = request.params;
    const q = request.query;
    const check = await links.check({ blobId, se: str(q.se), fn: str(q.fn), sig: str(q.sig) });
    if (!check.ok) {
      throw new DomainError('Forbidden', check.reason === 'expired' ? 'The download link has expired; request a new one' : 'The download link is not valid (altered or incomplete)');
    }
    const blob = await blobs.stat(blobId);
    if (!blob) throw new DomainError('ResourceNotFound', `The file behind this link no longer exists`);
    reply
      .header('content-type', blob.contentType)
      .header('content-length', String(blob.size))
      .header('content-disposition', `attachment; filename="${q.fn}"`)
      .header('x-content-sha256', blob.sha256)
      .header('cache-control', 'private, no-store');
    return reply.send(Readable.from(blobs.read(blobId)));
  });
};

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
