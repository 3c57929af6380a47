import { describe, expect, it } from 'vitest';
import { ACTION_STATUSES, FINAL_ACTION_STATUSES, type ActionStatus } from '@cordon/protocol';
import { ACTION_EVENTS, EXPIRED_MESSAGE, TRANSITIONS, planBulkTransition, planTransition } from './action-lifecycle.js';
import { isDomainError } from '../errors.js';

const NOW = '2026-11-21T10:00:00.0000000Z';

describe('planTransition', () => {
  // Exhaustive over every status × event pair (house style 8.5).
  for (const status of ACTION_STATUSES) {
    for (const event of ACTION_EVENTS) {
      const rule = TRANSITIONS[event];
      const allowed = (rule.from as readonly ActionStatus[]).includes(status);
      it(`should ${allowed ? `move ${status} to ${rule.to}` : 'refuse'} on ${event} from ${status}`, () => {
        const action = { id: 'a1', status };
        if (allowed) {
          const plan = planTransition(action, event, NOW);
          expect(plan).toEqual({ expected: rule.from, patch: { status: rule.to, lastUpdateDateTimeUtc: NOW } });
        } else {
          let code: string | undefined;
          try {
            planTransition(action, event, NOW);
          } catch (err) {
            code = isDomainError(err) ? err.code : 'not-a-domain-error';
          }
          expect(code).toBe((FINAL_ACTION_STATUSES as readonly string[]).includes(status) ? 'ActionAlreadyCompleted' : 'BadRequest');
        }
      });
    }
  }

  it('should carry event details into the patch', () => {
    const plan = planTransition({ id: 'a1', status: 'Pending' }, 'cancel', NOW, { cancellationRequestor: 'bob', cancellationComment: 'oops', cancellationDateTimeUtc: NOW });
    expect(plan.patch).toEqual({ status: 'Cancelled', lastUpdateDateTimeUtc: NOW, cancellationRequestor: 'bob', cancellationComment: 'oops', cancellationDateTimeUtc: NOW });
  });

  it('should never leave a final status', () => {
    for (const event of ACTION_EVENTS) {
      for (const status of FINAL_ACTION_STATUSES) {
        expect((TRANSITIONS[event].from as readonly string[]).includes(status)).toBe(false);
      }
    }
  });
});

describe('planBulkTransition', () => {
  it("should plan the reaper's expiry from the table's timeout entry: every open action to TimeOut", () => {
    expect(planBulkTransition('timeout', NOW, { errorMessage: EXPIRED_MESSAGE })).toEqual({
      expected: ['Pending', 'InProgress'],
      patch: { status: 'TimeOut', lastUpdateDateTimeUtc: NOW, errorMessage: EXPIRED_MESSAGE },
    });
  });
});
