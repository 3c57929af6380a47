/**
 * Starting live response sessions (mde-api.md §4.9): validates the commands, checks the library
 * files they name exist, enforces the per-tenant session limit, and creates the LiveResponse
 * action (one per device at a time: the action store's active-type index answers
 * ActiveRequestAlreadyExists).
 */
import type { LiveResponseCommand } from '@cordon/protocol';
import { DomainError } from '../errors.js';
import type { ActionRecord } from '../ports/action-store.js';
import type { ActionService, Requester } from '../actions/action-service.js';
import { MACHINE_ACTION_FIELDS } from '../odata/entities.js';
import { parseODataQuery } from '../odata/query.js';
import type { LibraryService } from '../library/library-service.js';
import { checkLiveResponseCommands } from './live-response-rules.js';

/** "25 concurrently running sessions" per tenant (mde-api.md §4.9, D-lr). */
export const MAX_CONCURRENT_LIVE_RESPONSE_SESSIONS = 25;

export interface StartLiveResponse {
  commands: LiveResponseCommand[];
  comment: string;
  externalId?: string | null;
}

export interface LiveResponseServiceDeps {
  actions: ActionService;
  library: LibraryService;
  maxConcurrentSessions?: number;
}

const ACTIVE_SESSIONS = parseODataQuery(
  { $filter: "type eq 'LiveResponse' and (status eq 'Pending' or status eq 'InProgress')", $count: 'true', $top: '1' },
  MACHINE_ACTION_FIELDS,
);

export class LiveResponseService {
  readonly #deps: LiveResponseServiceDeps;
  readonly #max: number;

  constructor(deps: LiveResponseServiceDeps) {
    this.#deps = deps;
    this.#max = deps.maxConcurrentSessions ?? MAX_CONCURRENT_LIVE_RESPONSE_SESSIONS;
  }

  async start(requester: Requester, machineRef: string, input: StartLiveResponse): Promise<ActionRecord> {
    const check = checkLiveResponseCommands(input.commands);
    if (!check.ok) throw new DomainError(check.code, check.message);
    // Refused at creation rather than failing on the device half-way through (PutFile done,
    // RunScript missing): nothing runs unless everything it needs exists.
    const missing = await this.#deps.library.missing(requester.tenantId, check.libraryFiles);
    if (missing.length > 0) throw new DomainError('InvalidRequestBody', `Library file${missing.length > 1 ? 's' : ''} ${missing.join(', ')} not found in the live response library; upload ${missing.length > 1 ? 'them' : 'it'} first`);
    // Counted, not reserved: two simultaneous requests at 24 may both pass (a soft limit, as a
    // session count in MDE is too).
    const active = await this.#deps.actions.list(requester.tenantId, ACTIVE_SESSIONS);
    if ((active.count ?? 0) >= this.#max) {
      throw new DomainError('TooManyRequests', `The tenant already has ${active.count} live response sessions running, the maximum is ${this.#max}; retry when one finishes`);
    }
    return this.#deps.actions.create(requester, machineRef, {
      type: 'LiveResponse',
      comment: input.comment,
      externalId: input.externalId ?? null,
      commands: input.commands,
      parameters: { Commands: input.commands },
    });
  }
}
