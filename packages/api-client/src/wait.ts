/** Following an action until it is final: the CLI's `--wait` and `actions watch`, and the web UI. */
import { isFinalStatus, type MachineAction } from '@cordon/protocol';

export interface WaitOptions {
  /** Poll period (default 2 s; MDE's own limits allow 100 calls/min). */
  intervalMs?: number;
  /** Called with every fetched state, including the first and the final one. */
  onUpdate?: (action: MachineAction) => void;
  signal?: AbortSignal;
  /** Injected in tests so nothing sleeps on the wall clock. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Polls `get(id)` until the action reaches a final status and returns that final state. */
export async function waitForAction<T extends MachineAction>(
  get: (id: string) => Promise<T>,
  id: string,
  options: WaitOptions = {},
): Promise<T> {
  const interval = options.intervalMs ?? 2000;
  const sleep = options.sleep ?? defaultSleep;
  for (;;) {
    options.signal?.throwIfAborted();
    const action = await get(id);
    options.onUpdate?.(action);
    if (isFinalStatus(action.status)) return action;
    await sleep(interval, options.signal);
  }
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  });
}
