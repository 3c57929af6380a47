export * from './package-view.js';
export * from './rule.js';
export * from './linux-facts.js';
export * from './evaluate-rules.js';
export { RULES } from './rules/index.js';
export * from './investigation-service.js';
