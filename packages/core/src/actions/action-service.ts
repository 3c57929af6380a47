/**
 * Machine actions: create, read, cancel, and the agent-side moves (accept, progress, finish,
 * expire). Rules live here; the store only runs queries; HTTP lives in the server.
 */
import {
  DEFAULT_ERROR_HRESULT,
  isFinalStatus,
  toMdeTimestamp,
  type ActionStatus,
  type ActionType,
  type LiveResponseCommand,
  type LiveResponseCommandEntry,
  type RecordedLiveResponseCommand,
  type RelatedFileInfo,
} from '@cordon/protocol';
import { DomainError } from '../errors.js';
import type { ActionEvents } from '../ports/action-events.js';
import type { ActionPatch, ActionRecord, ActionStore, ListResult, TransitionEffects } from '../ports/action-store.js';
import type { Clock, IdGenerator } from '../ports/clock.js';
import type { MachineStore } from '../ports/machine-store.js';
import type { ODataQuery } from '../odata/ast.js';
import { EXPIRED_MESSAGE, planBulkTransition, planTransition, type ActionEvent, type EventDetails } from './action-lifecycle.js';
import { machineEffectOfSucceeded } from '../reactions/machine-effects.js';
import { DEFAULT_ACTION_TIMEOUTS, type ActionTimeouts } from './action-timeouts.js';
import { resolveMachineOrThrow } from '../machines/machine-lookup.js';

/** Who asks: their tenant, and the name that becomes the action's `requestor`. */
export interface Requester {
  tenantId: string;
  name: string;
}

export interface NewAction {
  type: ActionType;
  comment: string;
  /** `Full`/`Selective` for isolation, `Quick`/`Full` for scans, else null (mde-api.md §4.1). */
  scope?: string | null;
  parameters?: Record<string, unknown>;
  relatedFileInfo?: RelatedFileInfo | null;
  commands?: readonly LiveResponseCommand[];
  externalId?: string | null;
  /** Observed value for API calls is `PublicApi` (mde-api.md §4.1); the UI sends `Portal`. */
  requestSource?: string;
}

/** What an agent reports when it finishes an action. */
export type ActionOutcome =
  | { status: 'Succeeded'; result?: Record<string, unknown> }
  | { status: 'Failed'; errorMessage: string; errorHResult?: number; result?: Record<string, unknown> };

export interface ActionServiceDeps {
  actions: ActionStore;
  machines: MachineStore;
  clock: Clock;
  ids: IdGenerator;
  events: ActionEvents;
  timeouts?: ActionTimeouts;
}

/** The requestSource of actions that record live console commands (not dispatched as actions). */
export const LIVE_RESPONSE_SESSION_SOURCE = 'LiveResponseSession';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class ActionService {
  readonly #deps: ActionServiceDeps;
  readonly #timeouts: ActionTimeouts;

  constructor(deps: ActionServiceDeps) {
    this.#deps = deps;
    this.#timeouts = deps.timeouts ?? DEFAULT_ACTION_TIMEOUTS;
  }

  /** Creates a Pending action on the machine `machineRef` (id, computer name or aadDeviceId). */
  async create(requester: Requester, machineRef: string, input: NewAction): Promise<ActionRecord> {
    const machine = await resolveMachineOrThrow(this.#deps.machines, requester.tenantId, machineRef);
    if (machine.onboardingStatus === 'Offboarded') {
      throw new DomainError('DisallowedOperation', `Machine ${machine.id} is offboarded; it can no longer receive actions`);
    }
    // A device that told us what it can run is refused what it can't (Kibana's capability check).
    // Machines that never connected (no capabilities yet) queue the action until they do.
    if (machine.capabilities.length > 0 && !machine.capabilities.includes(input.type)) {
      throw new DomainError('OsPlatformNotSupported', `OS Platform ${machine.osPlatform} isn't supported for this action (${input.type})`);
    }
    const nowMs = this.#deps.clock.now();
    const now = toMdeTimestamp(nowMs);
    const expiration = toMdeTimestamp(nowMs + this.#timeouts.pendingExpiryMs);
    const record: ActionRecord = {
      tenantId: requester.tenantId,
      id: this.#deps.ids.uuid(),
      type: input.type,
      title: null,
      requestor: requester.name,
      requestorComment: input.comment,
      requestSource: input.requestSource ?? 'PublicApi',
      externalId: input.externalId ?? null,
      status: 'Pending',
      machineId: machine.id,
      computerDnsName: machine.computerDnsName,
      creationDateTimeUtc: now,
      lastUpdateDateTimeUtc: now,
      cancellationRequestor: null,
      cancellationComment: null,
      cancellationDateTimeUtc: null,
      errorHResult: 0,
      errorMessage: null,
      scope: input.scope ?? null,
      relatedFileInfo: input.relatedFileInfo ?? null,
      commands: (input.commands ?? []).map(toCommandEntry),
      troubleshootInfo: null,
      parameters: input.parameters ?? {},
      result: null,
      expirationDateTimeUtc: expiration,
      deadlineDateTimeUtc: expiration,
    };
    const outcome = await this.#deps.actions.create(record);
    if (!outcome.ok) {
      throw new DomainError('ActiveRequestAlreadyExists', 'Action is already in progress', { details: { machineId: machine.id, type: input.type } });
    }
    this.#deps.events.publish({ kind: 'created', action: record });
    return record;
  }

  /**
   * Records a live console command as a LiveResponse action, created InProgress: the console
   * session carries it to the device (it is never dispatched as an action), and the session
   * finishes it from the device's live/done. Its open slot is its own (store: requestSource
   * `LiveResponseSession`), so background console commands never collide with each other or with
   * a runliveresponse action.
   */
  async recordConsoleCommand(requester: Requester, machine: { id: string; computerDnsName: string | null }, command: RecordedLiveResponseCommand, runTimeoutMs: number): Promise<ActionRecord> {
    const nowMs = this.#deps.clock.now();
    const now = toMdeTimestamp(nowMs);
    const deadline = toMdeTimestamp(nowMs + runTimeoutMs);
    const record: ActionRecord = {
      tenantId: requester.tenantId,
      id: this.#deps.ids.uuid(),
      type: 'LiveResponse',
      title: null,
      requestor: requester.name,
      requestorComment: '',
      requestSource: LIVE_RESPONSE_SESSION_SOURCE,
      externalId: null,
      status: 'InProgress',
      machineId: machine.id,
      computerDnsName: machine.computerDnsName,
      creationDateTimeUtc: now,
      lastUpdateDateTimeUtc: now,
      cancellationRequestor: null,
      cancellationComment: null,
      cancellationDateTimeUtc: null,
      errorHResult: 0,
      errorMessage: null,
      scope: null,
      relatedFileInfo: null,
      commands: [{ ...toCommandEntry(command, 0), startTime: now, commandStatus: 'InProgress' }],
      troubleshootInfo: null,
      parameters: {},
      result: null,
      expirationDateTimeUtc: deadline,
      deadlineDateTimeUtc: deadline,
    };
    const outcome = await this.#deps.actions.create(record);
    if (!outcome.ok) throw new DomainError('ActiveRequestAlreadyExists', 'Action is already in progress', { details: { machineId: machine.id, type: 'LiveResponse' } });
    this.#deps.events.publish({ kind: 'created', action: record });
    return record;
  }

  /**
   * Ends a console command's action with the console's final status, written once: a lost race
   * (MDE's cancel came first) leaves the winner and returns undefined.
   */
  async finishConsoleCommand(tenantId: string, id: string, outcome: { status: 'Succeeded' | 'Failed' | 'Cancelled'; errorMessage?: string; result?: Record<string, unknown> }): Promise<ActionRecord | undefined> {
    const action = await this.#deps.actions.get(tenantId, id);
    if (!action || isFinalStatus(action.status)) return undefined;
    const now = this.#now();
    const commands = action.commands.map((c) => ({ ...c, endTime: now, commandStatus: outcome.status === 'Succeeded' ? ('Completed' as const) : ('Failed' as const), errors: outcome.errorMessage ? [outcome.errorMessage] : [] }));
    const event: ActionEvent = outcome.status === 'Succeeded' ? 'succeed' : outcome.status === 'Failed' ? 'fail' : 'cancel';
    const details: EventDetails =
      outcome.status === 'Succeeded'
        ? { commands, result: outcome.result ?? null }
        : outcome.status === 'Failed'
          ? { commands, errorMessage: outcome.errorMessage ?? 'The console command failed', errorHResult: DEFAULT_ERROR_HRESULT, result: outcome.result ?? null }
          : { commands, cancellationRequestor: action.requestor, cancellationComment: outcome.errorMessage ?? 'Cancelled from the console', cancellationDateTimeUtc: now };
    const plan = planTransition(action, event, now, details);
    const updated = await this.#deps.actions.transition(tenantId, id, plan.expected, plan.patch);
    if (updated) this.#deps.events.publish({ kind: 'changed', action: updated });
    return updated;
  }

  async get(tenantId: string, id: string): Promise<ActionRecord> {
    if (!GUID.test(id)) throw new DomainError('InvalidInput', `Invalid input ${id}: a machine action id is a GUID`);
    const action = await this.#deps.actions.get(tenantId, id);
    if (!action) throw new DomainError('ResourceNotFound', `Machine action ${id} was not found`);
    return action;
  }

  list(tenantId: string, query: ODataQuery): Promise<ListResult<ActionRecord>> {
    return this.#deps.actions.list(tenantId, query);
  }

  /** Cancels a Pending or InProgress action (mde-api.md §4.8); a final one is left unchanged. */
  async cancel(tenantId: string, id: string, requestor: string, comment: string): Promise<ActionRecord> {
    const now = this.#now();
    return this.#apply(await this.get(tenantId, id), 'cancel', now, {
      cancellationRequestor: requestor,
      cancellationComment: comment,
      cancellationDateTimeUtc: now,
    });
  }

  /** The agent accepted the action: Pending -> InProgress, and the run deadline starts. */
  async accept(tenantId: string, id: string, machineId: string): Promise<ActionRecord> {
    const action = await this.#getForMachine(tenantId, id, machineId);
    const nowMs = this.#deps.clock.now();
    return this.#apply(action, 'accept', toMdeTimestamp(nowMs), {
      deadlineDateTimeUtc: toMdeTimestamp(nowMs + this.#timeouts.runTimeoutMs[action.type]),
    });
  }

  /** Intermediate progress (live response commands, partial results) on an InProgress action. */
  async progress(tenantId: string, id: string, machineId: string, update: Pick<ActionPatch, 'commands' | 'result'>): Promise<ActionRecord> {
    await this.#getForMachine(tenantId, id, machineId);
    const updated = await this.#deps.actions.transition(tenantId, id, ['InProgress'], { ...update, lastUpdateDateTimeUtc: this.#now() });
    if (!updated) throw new DomainError('ActionAlreadyCompleted', `Action ${id} is no longer in progress`);
    this.#deps.events.publish({ kind: 'changed', action: updated });
    return updated;
  }

  /**
   * The agent finished (or refused) the action. A Succeeded action's effect on its machine
   * (isolation state, restriction, offboarding and its credential revocation) commits in the same
   * store transaction as the status: either both are written or neither, so an agent's re-sent
   * finish (answered with the status that stands) never finds a Succeeded action without its effect.
   * A re-sent finish does not re-apply the effect: by then a later action (an Unisolate after this
   * Isolate) may have changed the machine, and re-applying would undo it.
   */
  async finish(tenantId: string, id: string, machineId: string, outcome: ActionOutcome): Promise<ActionRecord> {
    const action = await this.#getForMachine(tenantId, id, machineId);
    if (outcome.status === 'Succeeded') {
      const now = this.#now();
      const effect = machineEffectOfSucceeded(action);
      const effects: TransitionEffects | undefined = effect && {
        ...(Object.keys(effect.patch).length > 0 ? { machinePatch: effect.patch } : {}),
        ...(effect.revokeAgent ? { revokeAgentsAt: now } : {}),
      };
      return this.#apply(action, 'succeed', now, { result: outcome.result ?? action.result }, effects);
    }
    return this.#apply(action, 'fail', this.#now(), {
      errorMessage: outcome.errorMessage,
      errorHResult: outcome.errorHResult ?? DEFAULT_ERROR_HRESULT,
      result: outcome.result ?? action.result,
    });
  }

  /** Times out every action past its deadline (several server processes may run this at once). */
  async expireDue(): Promise<ActionRecord[]> {
    const now = this.#now();
    const expired = await this.#deps.actions.expireDue(now, planBulkTransition('timeout', now, { errorMessage: EXPIRED_MESSAGE }));
    for (const action of expired) this.#deps.events.publish({ kind: 'changed', action });
    return expired;
  }

  /** Open actions of a machine, oldest first: what an agent catches up on when it connects. */
  listOpenForMachine(tenantId: string, machineId: string): Promise<ActionRecord[]> {
    return this.#deps.actions.listOpenForMachine(tenantId, machineId);
  }

  async #getForMachine(tenantId: string, id: string, machineId: string): Promise<ActionRecord> {
    const action = await this.#deps.actions.get(tenantId, id);
    // A device credential never reaches another device's action: same answer as a missing one.
    if (!action || action.machineId !== machineId) throw new DomainError('ResourceNotFound', `Machine action ${id} was not found`);
    return action;
  }

  /** Plans the move and applies it as a compare-and-set; losing the race reports the winner. */
  async #apply(action: ActionRecord, event: ActionEvent, now: string, details: EventDetails, effects?: TransitionEffects): Promise<ActionRecord> {
    const plan = planTransition(action, event, now, details);
    const updated = await this.#deps.actions.transition(action.tenantId, action.id, plan.expected, plan.patch, effects);
    if (!updated) {
      const current = await this.#deps.actions.get(action.tenantId, action.id);
      const status: ActionStatus = current?.status ?? action.status;
      throw new DomainError('ActionAlreadyCompleted', `Action ${action.id} is already ${status}; it can no longer change`);
    }
    this.#deps.events.publish({ kind: 'changed', action: updated });
    return updated;
  }

  #now(): string {
    return toMdeTimestamp(this.#deps.clock.now());
  }
}

function toCommandEntry(command: RecordedLiveResponseCommand, index: number): LiveResponseCommandEntry {
  return { index, startTime: null, endTime: null, commandStatus: 'Created', errors: [], command: { type: command.type, params: command.params.map((p) => ({ key: p.key, value: p.value })) } };
}
