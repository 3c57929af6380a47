/**
 * The executor contract. One executor per action type, in `executors/<type>/index.ts`; the registry
 * in `executors/index.ts` maps every agent action type to one (house style 8.6). Executors touch the
 * OS only through `ctx.platform` and never import a transport.
 */
import type { AgentSettings } from '@cordon/protocol';
import type { Platform } from '../platform/types.js';

/** A structured, redaction-friendly logger bound to the action (pino-compatible subset). */
export interface ActionLogger {
  info(obj: Record<string, unknown>, msg?: string): void;
  warn(obj: Record<string, unknown>, msg?: string): void;
  error(obj: Record<string, unknown>, msg?: string): void;
}

/** Moving files between the device and the server, provided by the agent's transport layer. */
export interface ServerFiles {
  /** Streams a library file (by name) into `destPath`, verifying its sha256; returns the sha256. */
  downloadLibraryFile(fileName: string, destPath: string, signal: AbortSignal): Promise<{ sha256: string; size: number }>;
  /** Streams a local file to the server as a result blob; returns the blob id the server assigned. */
  uploadResult(srcPath: string, options: { name: string; contentType: string; signal: AbortSignal }): Promise<{ blobId: string; size: number; sha256: string }>;
}

export interface ExecutorContext {
  actionId: string;
  /** Aborted on cancel or timeout; executors pass it to every long operation. */
  signal: AbortSignal;
  log: ActionLogger;
  platform: Platform;
  files: ServerFiles;
  /** Epoch ms. */
  now(): number;
  /** Agent-local persistent state directory (0700), e.g. for isolation and quarantine records. */
  stateDir: string;
  /** Tenant settings pushed by the server (isolation exceptions, allow-lists, signatures...). */
  settings: AgentSettings;
  /**
   * The Cordon server URLs this device may be sent to, current when called: its identity's server
   * URL and every live server process's public URL the server advertised. Isolation keeps each reachable.
   */
  serverUrls(): readonly string[];
  /** Report intermediate progress (e.g. live response command status). */
  progress(update: Record<string, unknown>): void;
}

/** The tenant settings as the server sends them (one definition, in protocol). */
export type { AgentSettings } from '@cordon/protocol';

/** What an executor returns. `runner.ts` alone turns a thrown exception into Failed. */
export type ExecutorResult =
  | { status: 'Succeeded'; output?: Record<string, unknown> }
  | { status: 'Failed'; error: { code: string; message: string; hresult?: number }; output?: Record<string, unknown> };

export interface ActionExecutor<P = Record<string, unknown>> {
  /** The action type it runs (protocol ACTION_TYPES). */
  type: string;
  /** The capability it needs from the platform; the agent advertises only those it has. */
  capability: string;
  /** Validates parameters before anything is touched; returns an error message or undefined. */
  validate(params: unknown): string | undefined;
  run(params: P, ctx: ExecutorContext): Promise<ExecutorResult>;
  /** Re-applies persistent state on agent start (isolation, restriction); optional. */
  restore?(ctx: Omit<ExecutorContext, 'actionId' | 'progress'>): Promise<void>;
}
