import type { Investigation, InvestigationState } from '@cordon/protocol';
import type { ODataQuery } from '../odata/ast.js';
import type { ListResult } from './action-store.js';

/**
 * Where an investigation is in its run. `Collecting`: waiting for the package and the scan;
 * `Remediating`: findings recorded, waiting for StopAndQuarantineFile actions; `Done`: final.
 */
export const INVESTIGATION_STAGES = ['Collecting', 'Remediating', 'Done'] as const;
export type InvestigationStage = (typeof INVESTIGATION_STAGES)[number];

export interface InvestigationRecord extends Investigation {
  tenantId: string;
  stage: InvestigationStage;
  requestor: string;
  comment: string;
  /** The package blob once the collection succeeded (evidence links point at it). */
  packageBlobId: string | null;
  lastUpdateTime: string;
}

export type InvestigationPatch = Partial<Omit<InvestigationRecord, 'tenantId' | 'id' | 'machineId' | 'startTime'>>;

export interface InvestigationStore {
  /** False when the id is taken (the caller draws another). */
  create(record: InvestigationRecord): Promise<boolean>;
  get(tenantId: string, id: string): Promise<InvestigationRecord | undefined>;
  list(tenantId: string, query: ODataQuery): Promise<ListResult<InvestigationRecord>>;
  /**
   * Compare-and-set on `stage` (and on `state` when `expectedState` is given): applies the patch
   * only if they are still the expected ones.
   */
  update(tenantId: string, id: string, expectedStage: InvestigationStage, patch: InvestigationPatch, expectedState?: InvestigationState): Promise<InvestigationRecord | undefined>;
  /** Every investigation not Done, all tenants (resumed at server start). */
  listUnfinished(): Promise<InvestigationRecord[]>;
  /** The newest not-Done investigation of a machine. */
  unfinishedOnMachine(tenantId: string, machineId: string): Promise<InvestigationRecord | undefined>;
}
