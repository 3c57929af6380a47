/**
 * @cordon/api-client: a small typed fetch client for the Cordon/MDE API, used by the CLI, the web
 * UI and e2e tests. Browser-safe; file helpers that need node:fs live in `@cordon/api-client/node`.
 */
export * from './client.js';
export * from './errors.js';
export * from './token.js';
export * from './types.js';
export * from './wait.js';
export * from './live-sessions.js';
