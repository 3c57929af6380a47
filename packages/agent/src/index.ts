export { runAgent, ensureIdentity, type RunningAgent } from './main.js';
export { loadAgentConfig, AgentConfigError, type AgentConfig } from './config.js';
export { createLogger, type AgentLogger } from './log.js';
