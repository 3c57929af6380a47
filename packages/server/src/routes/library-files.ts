/**
 * The live response library (mde-api.md §4.11): `GET /libraryfiles`, `POST /libraryfiles`
 * (multipart: `File`, `Description`, `ParametersDescription`, `HasParameters`, `OverrideIfExists`),
 * `DELETE /libraryfiles/{fileName}`. The file streams straight into the blob store.
 * Cordon extension: `GET /libraryfiles/{fileName}/downloadLink` answers a signed link to the content
 * (`{"value": "<url>"}`, like getPackageUri), so people can check what a script does.
 */
import type { FastifyPluginAsync } from 'fastify';
import multipart from '@fastify/multipart';
import { Type } from '@sinclair/typebox';
import { DomainError, isDomainError, MAX_LIBRARY_FILE_BYTES, toWireLibraryFile, type LibraryFileFields, type LibraryService, type StagedLibraryFile } from '@cordon/core';
import { callerOf } from '../caller-of.js';
import { contextUrl, entityBody } from '../odata-response.js';
import type { DownloadLinks } from '../downloads/link-signer.js';

export interface LibraryRoutesOptions {
  library: LibraryService;
  links: DownloadLinks;
  /** Origin of the links: the configured public URL, never the request's Host (see result-links.ts). */
  publicUrl: string;
}

/** The text fields, as documented; `file` is the doc curl's spelling of `File`. */
const TEXT_FIELDS = ['Description', 'ParametersDescription', 'HasParameters', 'OverrideIfExists'] as const;
const FILE_FIELDS = ['File', 'file'];

export const libraryFileRoutes: FastifyPluginAsync<LibraryRoutesOptions> = async (app, { library, links, publicUrl }) => {
  // Busboy stops the file one byte past the limit; the blob store's own limit then answers.
  await app.register(multipart, { limits: { fileSize: MAX_LIBRARY_FILE_BYTES + 1, files: 1, fields: 10, fieldSize: 64 * 1024, parts: 12 } });

  app.get('/libraryfiles', { config: { operation: 'listLibraryFiles' } }, async (request) => {
    const files = await library.list(callerOf(request).tenantId);
    return { '@odata.context': contextUrl(request, 'LibraryFiles'), value: files.map(toWireLibraryFile) };
  });

  app.post('/libraryfiles', { config: { operation: 'uploadLibraryFile' } }, async (request) => {
    const caller = callerOf(request);
    if (!request.isMultipart()) throw new DomainError('InvalidRequestBody', 'Upload the file as multipart/form-data with a File part');
    const fields = new Map<string, string>();
    let staged: StagedLibraryFile | undefined;
    try {
      for await (const part of request.parts()) {
        if (part.type === 'file') {
          if (!FILE_FIELDS.includes(part.fieldname)) throw new DomainError('InvalidRequestBody', `Unexpected file part '${part.fieldname.slice(0, 64)}'; send the file as File`);
          if (staged) throw new DomainError('InvalidRequestBody', 'Send exactly one File');
          staged = await library.stage(caller.tenantId, part.filename ?? '', part.file);
          if (part.file.truncated) throw new DomainError('InvalidRequestBody', `File is larger than the ${MAX_LIBRARY_FILE_BYTES / 1024 / 1024} MB library file limit`);
        } else {
          if (!(TEXT_FIELDS as readonly string[]).includes(part.fieldname)) {
            throw new DomainError('InvalidRequestBody', `Unknown field '${part.fieldname.slice(0, 64)}'; expected File, ${TEXT_FIELDS.join(', ')} (names are case-sensitive)`);
          }
          fields.set(part.fieldname, String(part.value));
        }
      }
      if (!staged) throw new DomainError('MissingRequiredParameter', 'Parameter File is missing');
      const record = await library.commit(caller, staged, readFields(fields));
      staged = undefined; // committed: no longer ours to discard
      return entityBody(request, 'LibraryFiles/$entity', toWireLibraryFile(record));
    } catch (err) {
      if (staged) await library.discard(staged);
      throw mapMultipartError(err);
    }
  });

  app.get<{ Params: { fileName: string } }>(
    '/libraryfiles/:fileName/downloadLink',
    { config: { operation: 'getLibraryFileDownloadLink' }, schema: { params: Type.Object({ fileName: Type.String() }) } },
    async (request) => {
      const file = await library.get(callerOf(request).tenantId, request.params.fileName);
      return { '@odata.context': contextUrl(request, 'Edm.String'), value: await links.mint(publicUrl.replace(/\/+$/, ''), file.blobId, file.fileName) };
    },
  );

  app.delete<{ Params: { fileName: string } }>(
    '/libraryfiles/:fileName',
    { config: { operation: 'deleteLibraryFile' }, schema: { params: Type.Object({ fileName: Type.String() }) } },
    async (request, reply) => {
      await library.delete(callerOf(request).tenantId, request.params.fileName);
      return reply.code(204).send();
    },
  );
};

function readFields(fields: Map<string, string>): LibraryFileFields {
  const bool = (name: string): boolean => {
    const v = fields.get(name)?.trim().toLowerCase();
    if (v === undefined || v === '') return false;
    if (v === 'true' || v === 'false') return v === 'true';
    throw new DomainError('InvalidRequestBody', `${name} must be true or false`);
  };
  const text = (name: string): string | null => fields.get(name) ?? null;
  return { description: text('Description'), parametersDescription: text('ParametersDescription'), hasParameters: bool('HasParameters'), overrideIfExists: bool('OverrideIfExists') };
}

/** Multipart's own limit errors, as the same 400 a bad body gets (MDE documents 400 for this endpoint). */
function mapMultipartError(err: unknown): unknown {
  const code = (err as { code?: unknown }).code;
  if (code === 'FST_REQ_FILE_TOO_LARGE') return new DomainError('InvalidRequestBody', `File is larger than the ${MAX_LIBRARY_FILE_BYTES / 1024 / 1024} MB library file limit`);
  if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') return new DomainError('InvalidRequestBody', 'Too many parts: send one File and the documented fields');
  if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') return new DomainError('InvalidRequestBody', 'Upload the file as multipart/form-data with a File part');
  // Found by the upload fuzz test: busboy reports unreadable bodies (no boundary,
  // truncated form, malformed part headers) as plain Errors; they are the client's, not a 500.
  if (err instanceof Error && !isDomainError(err) && /^Multipart: |^Malformed part header|unexpected end of (form|multipart data)/i.test(err.message)) {
    return new DomainError('InvalidRequestBody', `The multipart body could not be read: ${err.message.slice(0, 100)}`);
  }
  return err;
}
