/**
 * The executor registry (house style 8.6): one executor per action type, typed
 * `satisfies Record<keyof typeof ACTION_CATALOG, ActionExecutor>` so a new catalog entry fails to
 * compile until it has one. Each executor's `capability` is its catalog entry's (index.test.ts).
 * Which of them a device advertises is decided by `availableExecutors` from the platform probe.
 */
import type { ACTION_CATALOG, ActionType } from '@cordon/protocol';
import type { ActionExecutor } from './types.js';
import { collectInvestigationPackage } from './collect-investigation-package/index.js';
import { isolateExecutor } from './isolate/index.js';
import { liveResponse } from './live-response/index.js';
import { restoreQuarantinedFileExecutor } from './restore-quarantined-file/index.js';
import { restrictCodeExecutionExecutor } from './restrict-code-execution/index.js';
import { runAntivirusScanExecutor } from './run-antivirus-scan/index.js';
import { stopAndQuarantineFileExecutor } from './stop-and-quarantine-file/index.js';
import { unisolateExecutor } from './unisolate/index.js';
import { unrestrictCodeExecutionExecutor } from './unrestrict-code-execution/index.js';
import { createOffboardExecutor } from './offboard/index.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each executor validates its own parameters before running (ActionExecutor.validate)
type AnyExecutor = ActionExecutor<any>;

export function createExecutorRegistry(): Record<ActionType, ActionExecutor> {
  // Offboard releases through the same executors that Unisolate/Unrestrict run.
  const release: ActionExecutor[] = [unisolateExecutor as ActionExecutor, unrestrictCodeExecutionExecutor as ActionExecutor];
  const registry = {
    RunAntiVirusScan: runAntivirusScanExecutor,
    Offboard: createOffboardExecutor(() => release),
    LiveResponse: liveResponse,
    CollectInvestigationPackage: collectInvestigationPackage,
    Isolate: isolateExecutor,
    Unisolate: unisolateExecutor,
    StopAndQuarantineFile: stopAndQuarantineFileExecutor,
    RestrictCodeExecution: restrictCodeExecutionExecutor,
    UnrestrictCodeExecution: unrestrictCodeExecutionExecutor,
    RestoreQuarantinedFile: restoreQuarantinedFileExecutor,
  } satisfies Record<keyof typeof ACTION_CATALOG, AnyExecutor>;
  return registry as unknown as Record<ActionType, ActionExecutor>;
}

/**
 * The executors this device can run: a capability the probe reported false is missing (e.g.
 * Isolate without nft); capabilities the probe does not test (`proc`, `offboard`...) need only
 * what every Linux host has. Unavailable types are not advertised, so the server refuses them at
 * creation with OsPlatformNotSupported instead of a device pretending to succeed.
 */
export function availableExecutors(registry: Record<string, ActionExecutor>, probe: Record<string, boolean>): Map<string, ActionExecutor> {
  const out = new Map<string, ActionExecutor>();
  for (const [type, executor] of Object.entries(registry)) {
    if (probe[executor.capability] === false) continue;
    out.set(type, executor);
  }
  return out;
}
