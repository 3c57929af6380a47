import { describe, expect, it } from 'vitest';
import { hashPath, readUrlState, writeUrlState } from './url-state.js';
import { parseRoute } from './router.js';

const defaults = { status: '', sort: 'creationDateTimeUtc desc' };

describe('url state in the hash query', () => {
  it('reads values over defaults and ignores unknown keys', () => {
    expect(readUrlState('#/actions?status=Pending&x=1', defaults)).toEqual({ status: 'Pending', sort: 'creationDateTimeUtc desc' });
    expect(readUrlState('#/actions', defaults)).toEqual(defaults);
  });
  it('writes only non-default values and keeps keys it does not own', () => {
    expect(writeUrlState('#/actions?action=a1', { status: 'Failed', sort: 'creationDateTimeUtc desc' }, defaults)).toBe('#/actions?action=a1&status=Failed');
    expect(writeUrlState('#/actions?status=Failed', defaults, defaults)).toBe('#/actions');
    expect(writeUrlState('', { ...defaults, status: 'A B' }, defaults)).toBe('#/?status=A+B');
  });
  it('round-trips values with separators', () => {
    const hash = writeUrlState('#/actions', { status: "a&b=c'd", sort: 'type asc' }, defaults);
    expect(readUrlState(hash, defaults)).toEqual({ status: "a&b=c'd", sort: 'type asc' });
  });
  it('routes ignore the query part', () => {
    expect(hashPath('#/actions?status=Failed')).toBe('#/actions');
    expect(parseRoute('#/actions?status=Failed')).toEqual({ page: 'actions' });
    expect(parseRoute('#/devices/m1?tab=x')).toEqual({ page: 'device', id: 'm1' });
  });
});
