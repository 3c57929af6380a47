/** A small JSON-lines logger on stderr (pino-compatible call shape; the agent keeps its dependencies few). */
import type { ActionLogger } from './executors/types.js';

export interface AgentLogger extends ActionLogger {
  child(bindings: Record<string, unknown>): AgentLogger;
}

export function createLogger(bindings: Record<string, unknown> = {}, write: (line: string) => void = (l) => process.stderr.write(l)): AgentLogger {
  const emit = (level: string) => (obj: Record<string, unknown>, msg?: string) => {
    const o: Record<string, unknown> = { level, time: new Date().toISOString(), ...bindings, ...obj, ...(msg ? { msg } : {}) };
    if (o.err instanceof Error) o.err = { message: o.err.message, code: (o.err as { code?: unknown }).code };
    write(`${JSON.stringify(o)}\n`);
  };
  return { info: emit('info'), warn: emit('warn'), error: emit('error'), child: (b) => createLogger({ ...bindings, ...b }, write) };
}
