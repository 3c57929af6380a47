/**
 * The api-client's types, generated from the OpenAPI document the server serves at /openapi.json
 * (openapi-typescript), so a route's schema change shows up as a type error in the web and CLI.
 * The document is built in-process from an app on an in-memory store: nothing listens.
 */
import openapiTS, { astToString } from 'openapi-typescript';
import { buildApp, loadConfig } from '@cordon/server';
import { openStore } from '@cordon/store';

export const GENERATED_TYPES_PATH = 'packages/api-client/src/generated/openapi.ts';

const HEADER = `/**
 * Generated from the server's /openapi.json by \`npm run gen:api-client\` (tools/gen-api-client.ts).
 * Do not edit: a test fails when this file differs from what the routes' schemas produce.
 */
/* eslint-disable */
`;

export async function generateApiClientTypes(): Promise<string> {
  const store = await openStore({ sqlitePath: ':memory:' });
  try {
    const { app } = await buildApp({ config: loadConfig({ CORDON_PUBLIC_URL: 'https://cordon.example' }), store, logger: false });
    try {
      const res = await app.inject({ method: 'GET', url: '/openapi.json' });
      if (res.statusCode !== 200) throw new Error(`/openapi.json answered ${res.statusCode}`);
      const ast = await openapiTS(res.body, { alphabetize: true });
      return HEADER + astToString(ast);
    } finally {
      await app.close();
    }
  } finally {
    await store.close();
  }
}
