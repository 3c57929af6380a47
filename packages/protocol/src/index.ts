export * from './machine-action.js';
export * from './machine.js';
export * from './errors.js';
export * from './permissions.js';
export * from './requests.js';
export * from './timestamp.js';
export * from './action-signature.js';
export * from './agent-messages.js';
