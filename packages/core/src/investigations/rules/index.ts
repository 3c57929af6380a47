/**
 * The rule registry: a static list rather than a directory scan. It type-checks every rule, works
 * in every runtime (core has no fs and there is no bundler glob), and fixes the evaluation order.
 * Adding a rule is its file, its test and one line here; a server test
 * (rules-registry.test.ts) fails if a file in this folder is missing from the list or its test.
 */
import type { Rule } from '../rule.js';
import { rule as autorunUnmanagedExecutable } from './autorun-unmanaged-executable.js';
import { rule as cronRemoteFetchExecute } from './cron-remote-fetch-execute.js';
import { rule as historyAuthorizedKeysWrite } from './history-authorized-keys-write.js';
import { rule as knownBadHash } from './known-bad-hash.js';
import { rule as ldSoPreloadEntry } from './ld-so-preload-entry.js';
import { rule as listenerUnexpectedBinary } from './listener-unexpected-binary.js';
import { rule as processDeletedExecutable } from './process-deleted-executable.js';
import { rule as processRunningFromTemp } from './process-running-from-temp.js';
import { rule as uid0NonRootAccount } from './uid0-non-root-account.js';

export const RULES: readonly Rule[] = [
  knownBadHash,
  processRunningFromTemp,
  processDeletedExecutable,
  listenerUnexpectedBinary,
  autorunUnmanagedExecutable,
  cronRemoteFetchExecute,
  ldSoPreloadEntry,
  uid0NonRootAccount,
  historyAuthorizedKeysWrite,
];
