import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALL_ROLES, MDE_TIMESTAMP, startTestApp, type TestApp } from './helpers.js';
import { linkPath, multipart, sha256 } from './forensics-helpers.js';

let t: TestApp;
let admin: string;

beforeEach(async () => {
  t = await startTestApp();
  admin = await t.token(ALL_ROLES);
});
afterEach(() => t.close());

const upload = async (fields: Parameters<typeof multipart>[0], token = admin) => {
  const { payload, headers } = await multipart(fields);
  return t.call({ method: 'POST', url: '/api/libraryfiles', payload, headers, token });
};
const script = '#!/bin/sh\necho hello "$@"\n';

describe('POST /api/libraryfiles', () => {
  it('should store the file and answer the documented entity', async () => {
    const res = await upload({ File: { name: 'hello.sh', content: script }, Description: 'says hello', ParametersDescription: 'names', HasParameters: 'true' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(Object.keys(body)).toEqual(['@odata.context', 'fileName', 'sha256', 'description', 'creationTime', 'lastUpdatedTime', 'createdBy', 'hasParameters', 'parametersDescription', 'size']);
    expect(body).toEqual({
      '@odata.context': 'http://localhost:80/api/$metadata#LibraryFiles/$entity',
      fileName: 'hello.sh',
      sha256: sha256(script),
      description: 'says hello',
      creationTime: '2026-11-21T10:00:00.0000000Z',
      lastUpdatedTime: '2026-11-21T10:00:00.0000000Z',
      createdBy: 'app ' + ALL_ROLES.join('+'),
      hasParameters: true,
      parametersDescription: 'names',
      size: Buffer.byteLength(script),
    });
  });

  it("should accept the doc curl's lowercase `file` and default the optional fields", async () => {
    const res = await upload({ file: { name: 'a.py', content: 'print(1)' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ fileName: 'a.py', description: null, hasParameters: false, parametersDescription: null });
  });

  it('should refuse an existing name unless OverrideIfExists is true, then replace content but keep creation time', async () => {
    expect((await upload({ File: { name: 'x.sh', content: 'v1' } })).statusCode).toBe(200);
    const again = await upload({ File: { name: 'x.sh', content: 'v2' } });
    expect(again.statusCode).toBe(400);
    expect(again.json().error).toMatchObject({ code: 'InvalidRequestBody', message: 'A library file named x.sh already exists; set OverrideIfExists to true to replace it' });
    t.clock.advance(60_000);
    const replaced = await upload({ File: { name: 'x.sh', content: 'v2' }, OverrideIfExists: 'True' });
    expect(replaced.statusCode).toBe(200);
    expect(replaced.json()).toMatchObject({ sha256: sha256('v2'), creationTime: '2026-11-21T10:00:00.0000000Z', lastUpdatedTime: '2026-11-21T10:01:00.0000000Z' });
    const list = (await t.call({ method: 'GET', url: '/api/libraryfiles', token: admin })).json();
    expect(list.value).toHaveLength(1);
  });

  it('should keep only the base name of a file name with a path, as multipart parsers do', async () => {
    const res = await upload({ File: { name: '../../evil.sh', content: 'x' } });
    expect(res.json()).toMatchObject({ fileName: 'evil.sh' });
  });

  it.each([['a b.sh'], ['..'], ['é.sh'], ['a;b']])('should refuse the file name %j', async (name) => {
    const res = await upload({ File: { name, content: 'x' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('InvalidRequestBody');
  });

  it('should refuse a file over 20 MB with 400 and store nothing', async () => {
    const res = await upload({ File: { name: 'big.bin', content: Buffer.alloc(20 * 1024 * 1024 + 1) } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'InvalidRequestBody', message: 'File big.bin is larger than the 20 MB library file limit' });
    expect((await t.call({ method: 'GET', url: '/api/libraryfiles', token: admin })).json().value).toEqual([]);
  });

  it('should accept exactly 20 MB', async () => {
    const res = await upload({ File: { name: 'max.bin', content: Buffer.alloc(20 * 1024 * 1024, 7) } });
    expect(res.statusCode).toBe(200);
  });

  it('should refuse a body without a file, an unknown field, a bad boolean and a non-multipart body', async () => {
    const noFile = await upload({ Description: 'd' });
    expect(noFile.statusCode).toBe(400);
    expect(noFile.json().error).toMatchObject({ code: 'MissingRequiredParameter', message: 'Parameter File is missing' });
    const unknown = await upload({ File: { name: 'a.sh', content: 'x' }, description: 'wrong case' });
    expect(unknown.json().error).toMatchObject({ code: 'InvalidRequestBody', message: expect.stringContaining("Unknown field 'description'") });
    const badBool = await upload({ File: { name: 'a.sh', content: 'x' }, HasParameters: 'yes' });
    expect(badBool.json().error).toMatchObject({ code: 'InvalidRequestBody', message: 'HasParameters must be true or false' });
    const json = await t.call({ method: 'POST', url: '/api/libraryfiles', payload: { File: 'x' }, token: admin });
    expect(json.statusCode).toBe(400);
    expect(json.json().error.code).toBe('InvalidRequestBody');
    expect((await t.call({ method: 'GET', url: '/api/libraryfiles', token: admin })).json().value).toEqual([]);
  });

  it('should need Library.Manage', async () => {
    const res = await upload({ File: { name: 'a.sh', content: 'x' } }, await t.token(['Machine.LiveResponse']));
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('Forbidden');
  });
});

describe('GET /api/libraryfiles', () => {
  it("should list the tenant's files by name, and only the tenant's", async () => {
    await upload({ File: { name: 'b.sh', content: 'b' } });
    await upload({ File: { name: 'a.sh', content: 'a' } });
    const other = await t.newTenant();
    const { payload, headers } = await multipart({ File: { name: 'c.sh', content: 'c' } });
    await t.call({ method: 'POST', url: '/api/libraryfiles', payload, headers, token: await t.token(ALL_ROLES, other) });
    const res = await t.call({ method: 'GET', url: '/api/v1.0/libraryfiles', token: admin });
    expect(res.statusCode).toBe(200);
    expect(res.json()['@odata.context']).toBe('http://localhost:80/api/$metadata#LibraryFiles');
    expect(res.json().value.map((f: { fileName: string }) => f.fileName)).toEqual(['a.sh', 'b.sh']);
    expect(res.json().value[0].creationTime).toMatch(MDE_TIMESTAMP);
  });
});

describe('GET /api/libraryfiles/{fileName}/downloadLink', () => {
  it('should answer a signed link that serves the content with its name and hash', async () => {
    await upload({ File: { name: 'hello.sh', content: script } });
    const res = await t.call({ method: 'GET', url: '/api/libraryfiles/hello.sh/downloadLink', token: admin, headers: { host: 'evil.example' } });
    expect(res.statusCode).toBe(200);
    const link = res.json().value as string;
    expect(link).not.toContain('evil.example'); // the configured public URL, never the Host header
    const dl = await t.call({ method: 'GET', url: linkPath(link) });
    expect(dl.statusCode).toBe(200);
    expect(dl.body).toBe(script);
    expect(dl.headers['content-disposition']).toBe('attachment; filename="hello.sh"');
    expect(dl.headers['x-content-sha256']).toBe(sha256(script));
  });

  it("should answer 404 for a name the tenant's library lacks, including another tenant's file", async () => {
    const other = await t.newTenant();
    const { payload, headers } = await multipart({ File: { name: 'theirs.sh', content: 'c' } });
    await t.call({ method: 'POST', url: '/api/libraryfiles', payload, headers, token: await t.token(ALL_ROLES, other) });
    for (const name of ['missing.sh', 'theirs.sh', 'a%20b']) {
      const res = await t.call({ method: 'GET', url: `/api/libraryfiles/${name}/downloadLink`, token: admin });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('ResourceNotFound');
    }
  });
});

describe('DELETE /api/libraryfiles/{fileName}', () => {
  it('should delete with 204, then answer 404', async () => {
    await upload({ File: { name: 'gone.sh', content: 'x' } });
    const del = await t.call({ method: 'DELETE', url: '/api/libraryfiles/gone.sh', token: admin });
    expect(del.statusCode).toBe(204);
    expect(del.body).toBe('');
    const again = await t.call({ method: 'DELETE', url: '/api/libraryfiles/gone.sh', token: admin });
    expect(again.statusCode).toBe(404);
    expect(again.json().error).toMatchObject({ code: 'ResourceNotFound', message: 'Library file gone.sh was not found' });
  });
});
