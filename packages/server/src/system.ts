/** The real clock and id generator; tests pass their own. */
import { randomUUID } from 'node:crypto';
import type { Clock, IdGenerator } from '@cordon/core';

export const systemClock: Clock = { now: () => performance.timeOrigin + performance.now() };
export const randomIds: IdGenerator = { uuid: () => randomUUID() };
