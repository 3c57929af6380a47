import { afterEach, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { IsolateBody, StopAndQuarantineFileBody, RunLiveResponseBody } from '@cordon/protocol';
import { DomainError } from '@cordon/core';
import { errorHandlerPlugin, errorHandlerServerOptions } from './error-handler.js';
import { requestIdOptions, requestIdPlugin } from './request-id.js';

const ajv = { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false, allErrors: false } } as const;

async function build(): Promise<{ app: FastifyInstance; logs: string[] }> {
  const logs: string[] = [];
  const stream = { write: (line: string) => void logs.push(line) };
  const app = Fastify({ logger: { level: 'info', stream }, bodyLimit: 1024, ajv, ...requestIdOptions(), ...errorHandlerServerOptions() });
  await app.register(requestIdPlugin);
  await app.register(errorHandlerPlugin);
  app.post('/machines/:id/isolate', { schema: { body: IsolateBody } }, async () => ({ ok: true }));
  app.post('/machines/:id/StopAndQuarantineFile', { schema: { body: StopAndQuarantineFileBody } }, async () => ({ ok: true }));
  app.post('/machines/:id/runliveresponse', { schema: { body: RunLiveResponseBody } }, async () => ({ ok: true }));
  app.get('/find', { schema: { querystring: Type.Object({ tag: Type.String() }) } }, async () => ({ ok: true }));
  app.get('/domain/:code', async (req) => {
    throw new DomainError((req.params as { code: 'ResourceNotFound' }).code, 'Machine 123 was not found');
  });
  app.get('/boom', async () => {
    throw new Error('secret database password leaked in this message');
  });
  app.get('/unavailable', async () => {
    throw new DomainError('ServiceUnavailable', 'pg pool exhausted at 10.0.0.5');
  });
  return { app, logs };
}

let app: FastifyInstance;
afterEach(async () => app?.close());

/** Asserts the compact MDE body, with target = the request-id header, and returns the parsed error. */
function expectMdeError(res: { statusCode: number; body: string; headers: Record<string, unknown> }, status: number, code: string) {
  expect(res.statusCode).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  const parsed = JSON.parse(res.body) as { error: { code: string; message: string; target: string } };
  expect(Object.keys(parsed)).toEqual(['error']);
  expect(Object.keys(parsed.error)).toEqual(['code', 'message', 'target']);
  expect(res.body).toBe(JSON.stringify(parsed)); // compact
  expect(parsed.error.code).toBe(code);
  expect(parsed.error.target).toBe(res.headers['request-id']);
  return parsed.error;
}

const isolate = (payload: unknown) => app.inject({ method: 'POST', url: '/machines/m1/isolate', payload: payload as object });

describe('errorHandlerPlugin', () => {
  it('should answer MissingRequiredParameter when Comment is missing', async () => {
    ({ app } = await build());
    const err = expectMdeError(await isolate({ IsolationType: 'Full' }), 400, 'MissingRequiredParameter');
    expect(err.message).toBe('Parameter Comment is missing');
  });

  it('should point out a wrong-case required parameter', async () => {
    ({ app } = await build());
    const err = expectMdeError(await isolate({ comment: 'c' }), 400, 'MissingRequiredParameter');
    expect(err.message).toBe("Parameter Comment is missing; body parameter names are case-sensitive and 'comment' was sent");
  });

  it('should name a wrong-case body parameter and suggest the right one', async () => {
    ({ app } = await build());
    const err = expectMdeError(await isolate({ Comment: 'c', isolationType: 'Full' }), 400, 'InvalidRequestBody');
    expect(err.message).toBe("Body parameter 'isolationType' is not allowed; body parameter names are case-sensitive; did you mean 'IsolationType'?");
  });

  it('should list the allowed parameters for an unknown one', async () => {
    ({ app } = await build());
    const err = expectMdeError(await isolate({ Comment: 'c', Foo: 1 }), 400, 'InvalidRequestBody');
    expect(err.message).toBe("Body parameter 'Foo' is not allowed; allowed parameters: Comment, IsolationType, ExternalId");
  });

  it('should list the allowed values of a union of literals', async () => {
    ({ app } = await build());
    const err = expectMdeError(await isolate({ Comment: 'c', IsolationType: 'Partial' }), 400, 'InvalidRequestBody');
    expect(err.message).toBe('Invalid value Partial for IsolationType; allowed values: Full, Selective, UnManagedDevice');
  });

  it('should answer InvalidHashValue for a bad Sha1', async () => {
    ({ app } = await build());
    const res = await app.inject({ method: 'POST', url: '/machines/m1/StopAndQuarantineFile', payload: { Comment: 'c', Sha1: 'xyz' } });
    expect(expectMdeError(res, 400, 'InvalidHashValue').message).toBe('Hash value xyz is invalid');
  });

  it('should describe nested failures with their path', async () => {
    ({ app } = await build());
    const res = await app.inject({ method: 'POST', url: '/machines/m1/runliveresponse', payload: { Comment: 'c', Commands: [{ params: [] }] } });
    expect(expectMdeError(res, 400, 'MissingRequiredParameter').message).toBe('Parameter Commands[0].type is missing');
  });

  it('should answer InvalidRequestBody for other schema failures', async () => {
    ({ app } = await build());
    const err = expectMdeError(await isolate({ Comment: '' }), 400, 'InvalidRequestBody');
    expect(err.message).toBe('Comment must NOT have fewer than 1 characters');
  });

  it('should answer InvalidRequestBody for a non-object body', async () => {
    ({ app } = await build());
    const err = expectMdeError(await isolate([1, 2]), 400, 'InvalidRequestBody');
    expect(err.message).toBe('Request body must be a JSON object');
  });

  it('should answer MissingRequiredParameter for a missing query parameter', async () => {
    ({ app } = await build());
    expect(expectMdeError(await app.inject({ method: 'GET', url: '/find' }), 400, 'MissingRequiredParameter').message).toBe('Parameter tag is missing');
  });

  it('should answer InvalidRequestBody for invalid JSON and for an empty JSON body', async () => {
    ({ app } = await build());
    const headers = { 'content-type': 'application/json' };
    const bad = await app.inject({ method: 'POST', url: '/machines/m1/isolate', headers, payload: '{"Comment":' });
    expect(expectMdeError(bad, 400, 'InvalidRequestBody').message).toBe('Request body is not valid JSON');
    const empty = await app.inject({ method: 'POST', url: '/machines/m1/isolate', headers, payload: '' });
    expectMdeError(empty, 400, 'InvalidRequestBody');
  });

  it('should answer 413 PayloadTooLarge above the body limit', async () => {
    ({ app } = await build());
    expectMdeError(await isolate({ Comment: 'x'.repeat(2000) }), 413, 'PayloadTooLarge');
  });

  it('should answer 415 UnsupportedMediaType for a content type nobody parses', async () => {
    ({ app } = await build());
    const res = await app.inject({ method: 'POST', url: '/machines/m1/isolate', headers: { 'content-type': 'application/xml' }, payload: '<a/>' });
    expect(expectMdeError(res, 415, 'UnsupportedMediaType').message).toBe("Unsupported content type 'application/xml'");
  });

  it('should answer NotFound for an unknown route', async () => {
    ({ app } = await build());
    const err = expectMdeError(await app.inject({ method: 'GET', url: '/api/nothing?x=1' }), 404, 'NotFound');
    expect(err.message).toBe('No resource matches GET /api/nothing');
  });

  it('should answer 405 MethodNotAllowed with Allow when only the method is wrong', async () => {
    ({ app } = await build());
    const res = await app.inject({ method: 'GET', url: '/machines/m1/ISOLATE' });
    expect(expectMdeError(res, 405, 'MethodNotAllowed').message).toBe("The requested resource does not support http method 'GET'");
    expect(res.headers.allow).toBe('POST');
    expectMdeError(await app.inject({ method: 'DELETE', url: '/find?tag=x' }), 405, 'MethodNotAllowed');
    expectMdeError(await app.inject({ method: 'DELETE', url: '/machines/m1/nothing' }), 404, 'NotFound');
  });

  it('should answer BadRequest for a URL Fastify cannot decode', async () => {
    ({ app } = await build());
    expectMdeError(await app.inject({ method: 'GET', url: '/domain/%E0%A4%A' }), 400, 'BadRequest');
  });

  it('should map a DomainError code to its catalog status and keep its message', async () => {
    ({ app } = await build());
    const err = expectMdeError(await app.inject({ method: 'GET', url: '/domain/ResourceNotFound' }), 404, 'ResourceNotFound');
    expect(err.message).toBe('Machine 123 was not found');
    expectMdeError(await app.inject({ method: 'GET', url: '/domain/ActiveRequestAlreadyExists' }), 400, 'ActiveRequestAlreadyExists');
  });

  it('should add WWW-Authenticate to a 401', async () => {
    ({ app } = await build());
    const res = await app.inject({ method: 'GET', url: '/domain/Unauthorized' });
    expectMdeError(res, 401, 'Unauthorized');
    expect(res.headers['www-authenticate']).toBe('Bearer');
  });

  it('should hide an unexpected error behind a generic 500 and log it with the request id', async () => {
    let logs: string[];
    ({ app, logs } = await build());
    const res = await app.inject({ method: 'GET', url: '/boom' });
    const err = expectMdeError(res, 500, 'InternalServerError');
    expect(err.message).toBe('Internal server error');
    expect(res.body).not.toContain('secret');
    const line = logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.level === 50);
    expect(line?.reqId).toBe(err.target);
    expect(JSON.stringify(line?.err)).toContain('secret database password');
  });

  it('should not echo the text of a 5xx DomainError', async () => {
    ({ app } = await build());
    const res = await app.inject({ method: 'GET', url: '/unavailable' });
    expect(expectMdeError(res, 503, 'ServiceUnavailable').message).toBe('Service unavailable');
  });

  it('should use a sane incoming x-request-id as the target', async () => {
    ({ app } = await build());
    const res = await app.inject({ method: 'GET', url: '/nothing', headers: { 'x-request-id': 'abc-123' } });
    expect(expectMdeError(res, 404, 'NotFound').target).toBe('abc-123');
  });
});
