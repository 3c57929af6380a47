/**
 * Which server URL a transport connects to next, and how long it waits first. The onboarding
 * package may name several (nodes behind no load balancer, or a load balancer and the nodes): the
 * agent sticks to the one that works; when it fails or its connection closes it moves to the next
 * one at once, and waits the reconnect backoff only after a whole round failed (or after a working
 * connection closed, so the agents of a dead node do not all land on the next one in the same
 * millisecond). With one URL this is the plain backoff loop it always was.
 */
import { createBackoff, type BackoffOptions } from './backoff.js';

export interface ServerRotation {
  /** The URL to connect to now. */
  current(): string;
  /** The connection to `current()` works: stay on it, and start the backoff over. */
  connected(): void;
  /** Connecting to `current()` failed (`wasOpen` false) or its working connection closed: moves on; answers the delay (ms) before the next try. */
  failed(wasOpen: boolean): number;
}

export function createServerRotation(urls: readonly string[], backoffOptions: BackoffOptions): ServerRotation {
  if (urls.length === 0) throw new Error('no server URL to connect to');
  const backoff = createBackoff(backoffOptions);
  let index = 0;
  let failuresInRound = 0;
  return {
    current: () => urls[index]!,
    connected() {
      failuresInRound = 0;
      backoff.reset();
    },
    failed(wasOpen) {
      index = (index + 1) % urls.length;
      if (wasOpen) {
        failuresInRound = 0;
        return backoff.next();
      }
      failuresInRound += 1;
      if (failuresInRound < urls.length) return 0;
      failuresInRound = 0;
      return backoff.next();
    },
  };
}
