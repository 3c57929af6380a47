/** `@cordon/store/testing`: the store contract suite and fixture builders (test-only code). */
export { runStoreContract, type StoreContractOptions, type StoreContractSkip } from './store-contract.js';
export { makeAction, makeMachine, TEST_TENANT_ID, FIXTURE_TIME } from './fixtures.js';
export { TEST_PG_URL, PG_UNREACHABLE_HINT, withPgHint } from './postgres.js';
