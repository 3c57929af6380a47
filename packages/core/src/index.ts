export * from './errors.js';
export * from './ports/clock.js';
export * from './ports/action-store.js';
export * from './ports/machine-store.js';
export * from './ports/identity-store.js';
export * from './ports/rate-limit-store.js';
export * from './odata/ast.js';
export * from './odata/entities.js';
