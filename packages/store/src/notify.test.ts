import { describe, expect, it } from 'vitest';
import { createLocalNotifier, type Notifier } from './notify.js';
import { createPostgresNotifier } from './dialects/postgres-notify.js';
import { TEST_PG_URL } from './testing/postgres.js';

function waitFor(got: string[], n: number): Promise<void> {
  return new Promise((resolve) => {
    const check = () => (got.length >= n ? resolve() : setTimeout(check, 5));
    check();
  });
}

function runNotifierContract(name: string, make: () => Notifier) {
  describe(name, () => {
    it('should deliver a notification to every subscriber of the channel, not others', async () => {
      const a = make();
      const b = make();
      try {
        const gotA: string[] = [];
        const gotB: string[] = [];
        const other: string[] = [];
        await a.subscribe('cordon_test_chan', (p) => gotA.push(p));
        await b.subscribe('cordon_test_chan', (p) => gotB.push(p));
        await b.subscribe('cordon_test_other', (p) => other.push(p));
        await a.notify('cordon_test_chan', 'hello');
        await Promise.all([waitFor(gotA, 1), waitFor(gotB, name === 'local' ? 0 : 1)]);
        expect(gotA).toEqual(['hello']);
        if (name !== 'local') expect(gotB).toEqual(['hello']); // two "processes" = two connections
        expect(other).toEqual([]);
      } finally {
        await a.close();
        await b.close();
      }
    });
  });
}

runNotifierContract('local', () => createLocalNotifier());
runNotifierContract('postgres', () => createPostgresNotifier({ url: TEST_PG_URL }));
