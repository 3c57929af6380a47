export * from './odata-to-kysely.js';
