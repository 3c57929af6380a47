import { randomUUID } from 'node:crypto';
import { it } from 'vitest';
import { parseODataQuery, type FieldMap, type ODataParams, type ODataQuery } from '@cordon/core';
import type { Store } from '../../index.js';

/** A declared gap of one engine: the named tests are reported as skipped, with the reason. */
export interface StoreContractSkip {
  reason: string;
  /** Test names, exactly as passed to `ctx.it`. */
  tests: string[];
}

export interface ContractContext {
  /** The store under test (opened once per suite). */
  store(): Store;
  /** A fresh tenant id: every test works in its own tenant, so tests never see each other's rows. */
  newTenant(): string;
  /** `it`, honouring the suite's skip list. */
  it(name: string, fn: () => Promise<void>): void;
}

export function contractIt(skip: readonly StoreContractSkip[]): ContractContext['it'] {
  return (name, fn) => {
    const reason = skip.find((s) => s.tests.includes(name))?.reason;
    if (reason !== undefined) {
      console.warn(`store contract: skipping '${name}': ${reason}`);
      it.skipIf(true)(`${name} (skipped: ${reason})`, fn);
      return;
    }
    it(name, fn);
  };
}

export function newTenantId(): string {
  return randomUUID();
}

/** A validated OData query, as the server would hand it to `list()`. */
export function odata(fields: FieldMap, params: ODataParams = {}): ODataQuery {
  return parseODataQuery(params, fields);
}

/** MDE timestamp for "2026-01-<day>T<hour>:00:00Z" (fixtures use January 2026). */
export function jan(day: number, hour = 0): string {
  return `2026-01-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00.0000000Z`;
}
