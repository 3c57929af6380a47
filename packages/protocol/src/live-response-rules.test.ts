import { describe, expect, it } from 'vitest';
import { FORBIDDEN_ARG_CHARACTERS, LIVE_RESPONSE_COMMAND_RANK, forbiddenArgCharacterIn, forbiddenArgMessage, isLibraryFileName } from './live-response-rules.js';

describe('live response rules', () => {
  it('should rank PutFile before RunScript before GetFile', () => {
    expect(LIVE_RESPONSE_COMMAND_RANK).toEqual({ PutFile: 0, RunScript: 1, GetFile: 2 });
  });

  it('should find the first forbidden Args character and name them all in the refusal', () => {
    expect(FORBIDDEN_ARG_CHARACTERS).toEqual([';', '&', '|', '!', '$', '`']);
    expect(forbiddenArgCharacterIn('a `b` $c')).toBe('$');
    expect(forbiddenArgCharacterIn("-v 'x y'")).toBeUndefined();
    expect(forbiddenArgMessage('$')).toBe('Args must not contain ; & | ! $ ` (found $)');
  });

  it.each(['a.sh', 'A-b_c.1', 'x'.repeat(255)])('should accept library file name %j', (n) => expect(isLibraryFileName(n)).toBe(true));
  it.each(['', '.', '..', 'a b', 'a/b', 'é', 'x'.repeat(256)])('should refuse library file name %j', (n) => expect(isLibraryFileName(n)).toBe(false));
});
