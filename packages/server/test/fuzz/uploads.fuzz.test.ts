/**
 * Property tests of library uploads (multipart): random part names in any case, file names with
 * path tricks, NUL, unicode and great length, several files, unknown and repeated fields, bad
 * booleans, broken boundaries and truncated bodies. Shared invariants (fuzz-app.ts), plus: a
 * refused upload leaves the library and the blob store as they were, and an accepted one is listed
 * under a name without path separators.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzzParams, fuzzTimeout, nastyString, startFuzzApp, type FuzzApp } from './fuzz-app.js';

let f: FuzzApp;
beforeAll(async () => {
  f = await startFuzzApp();
});
afterAll(() => f.close());

async function librarySnapshot(): Promise<string> {
  const files = await f.t.store.db.selectFrom('library_files' as never).selectAll().execute();
  const blobs = await f.t.store.db.selectFrom('blobs' as never).select(['id' as never, 'state' as never]).execute();
  return JSON.stringify([files, blobs]);
}

const fieldName = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('File', 'file', 'Description', 'ParametersDescription', 'HasParameters', 'OverrideIfExists') },
  { weight: 1, arbitrary: fc.constantFrom('FILE', 'description', 'hasparameters', '', '__proto__', 'File\u0000') },
  { weight: 1, arbitrary: nastyString() },
);

const fileName = fc.oneof(
  fc.stringMatching(/^[a-z]{1,12}\.(sh|ps1|py|bin)$/),
  fc.constantFrom('../../etc/passwd', '..', '.', '/abs.sh', 'a/b.sh', 'a\\b.sh', 'nul\u0000.sh', 'CON', '.hidden', ' spaced .sh', 'x'.repeat(300), '%2e%2e%2fx.sh', ''),
  nastyString(),
);

const part = fc.oneof(
  { weight: 2, arbitrary: fc.tuple(fieldName, fileName, fc.oneof(nastyString(), fc.constant(''))).map(([name, file, content]) => ({ kind: 'file' as const, name, file, content })) },
  { weight: 3, arbitrary: fc.tuple(fieldName, fc.oneof(fc.constantFrom('true', 'false', 'TRUE', ' true ', 'yes', ''), nastyString())).map(([name, value]) => ({ kind: 'field' as const, name, value })) },
);

/** Hand-built so names, quotes and boundaries can be as wrong as a hostile client makes them. */
function multipartBody(parts: readonly { kind: 'file' | 'field'; name: string; file?: string; content?: string; value?: string }[], boundary: string): Buffer {
  const chunks: string[] = [];
  for (const p of parts) {
    chunks.push(`--${boundary}\r\n`);
    const disposition = p.kind === 'file' ? `form-data; name="${p.name}"; filename="${p.file}"` : `form-data; name="${p.name}"`;
    chunks.push(`Content-Disposition: ${disposition}\r\n`);
    if (p.kind === 'file') chunks.push('Content-Type: application/octet-stream\r\n');
    chunks.push(`\r\n${p.kind === 'file' ? p.content : p.value}\r\n`);
  }
  chunks.push(`--${boundary}--\r\n`);
  return Buffer.from(chunks.join(''));
}

const mangle = fc.constantFrom('none', 'none', 'none', 'truncate', 'wrong-boundary', 'no-boundary', 'garbage');

describe('library uploads', () => {
  it(
    'should accept or refuse any multipart body without 5xx, keeping the library intact on refusal',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(part, { minLength: 0, maxLength: 5 }), mangle, fc.nat(), async (parts, how, cut) => {
          const boundary = 'fuzzboundary7MA4YWxkTrZu0gW';
          let payload = multipartBody(parts, boundary);
          let contentType = `multipart/form-data; boundary=${boundary}`;
          if (how === 'truncate') payload = payload.subarray(0, payload.length === 0 ? 0 : cut % payload.length);
          if (how === 'wrong-boundary') contentType = 'multipart/form-data; boundary=other';
          if (how === 'no-boundary') contentType = 'multipart/form-data';
          if (how === 'garbage') payload = Buffer.from(parts.map((p) => p.name).join('\u0000'));
          const before = await librarySnapshot();
          const res = await f.send({ method: 'POST', url: '/api/libraryfiles', payload, headers: { 'content-type': contentType } });
          if (res.statusCode >= 400) {
            expect(await librarySnapshot()).toBe(before);
          } else {
            const body = res.json() as { fileName: string };
            // eslint-disable-next-line no-control-regex -- a NUL in a stored name is the failure looked for
            expect(body.fileName).not.toMatch(/[/\\\u0000]/);
          }
        }),
        fuzzParams(1),
      );
    },
    fuzzTimeout(1),
  );
});
