/**
 * Request bodies of the action endpoints, as JSON Schemas (TypeBox). The server validates with them
 * and publishes them in its OpenAPI document; clients get their static types from them.
 * Body parameter names are case-sensitive (mde-api.md §2.1): unknown properties are refused, so a
 * wrong-case optional field (`isolationType`) can never be silently ignored.
 */
import { Type, type Static } from '@sinclair/typebox';
import { ISOLATION_TYPES, SCAN_TYPES, LIVE_RESPONSE_COMMAND_TYPES } from './machine-action.js';
import { DEVICE_VALUES } from './machine.js';
import { literalUnion, strict } from './schema-helpers.js';

/** A union of string literals whose static type stays the literal union (TypeBox widens map() results). */

/** Comments are free text; MDE sets no documented limit, Cordon caps them to keep rows small. */
export const MAX_COMMENT_LENGTH = 4000;
const Comment = Type.String({ minLength: 1, maxLength: MAX_COMMENT_LENGTH });
/** @extension Cordon: lets a caller set `externalId` for correlation (mde-api.md §9.4 leaves the field name open). */
const ExternalId = Type.Optional(Type.String({ maxLength: 200 }));

export const CommentBody = Type.Object({ Comment, ExternalId }, strict);
export type CommentBody = Static<typeof CommentBody>;

export const IsolateBody = Type.Object(
  { Comment, IsolationType: Type.Optional(literalUnion(ISOLATION_TYPES)), ExternalId },
  strict,
);
export type IsolateBody = Static<typeof IsolateBody>;

export const RunAntiVirusScanBody = Type.Object({ Comment, ScanType: literalUnion(SCAN_TYPES), ExternalId }, strict);
export type RunAntiVirusScanBody = Static<typeof RunAntiVirusScanBody>;

export const SHA1_PATTERN = '^[0-9a-fA-F]{40}$';
export const StopAndQuarantineFileBody = Type.Object(
  { Comment, Sha1: Type.String({ pattern: SHA1_PATTERN }), ExternalId },
  strict,
);
export type StopAndQuarantineFileBody = Static<typeof StopAndQuarantineFileBody>;

export const LiveResponseParamSchema = Type.Object(
  { key: Type.String({ minLength: 1, maxLength: 64 }), value: Type.String({ maxLength: 4096 }) },
  strict,
);
export const LiveResponseCommandSchema = Type.Object(
  { type: literalUnion(LIVE_RESPONSE_COMMAND_TYPES), params: Type.Array(LiveResponseParamSchema, { maxItems: 8 }) },
  strict,
);
export const RunLiveResponseBody = Type.Object(
  { Commands: Type.Array(LiveResponseCommandSchema, { minItems: 1, maxItems: 50 }), Comment, ExternalId },
  strict,
);
export type RunLiveResponseBody = Static<typeof RunLiveResponseBody>;

export const TAG_ACTIONS = ['Add', 'Remove'] as const;
/** Tags are short labels; MDE caps them at 200 characters in the portal. */
export const MAX_TAG_LENGTH = 200;
const Tag = Type.String({ minLength: 1, maxLength: MAX_TAG_LENGTH });

export const TagBody = Type.Object({ Value: Tag, Action: literalUnion(TAG_ACTIONS) }, strict);
export type TagBody = Static<typeof TagBody>;

/** At most 500 machines per call (mde-api.md §4.12). Checked in code to answer MaximumBatchSizeExceeded. */
export const MAX_BULK_TAG_MACHINES = 500;
export const BulkTagBody = Type.Object(
  { Value: Tag, Action: literalUnion(TAG_ACTIONS), MachineIds: Type.Array(Type.String({ minLength: 1, maxLength: 128 }), { minItems: 1 }) },
  strict,
);
export type BulkTagBody = Static<typeof BulkTagBody>;

/** PATCH /machines/{id} uses camelCase fields (mde-api.md §2.1, D-patch). */
export const UpdateMachineBody = Type.Object(
  {
    machineTags: Type.Optional(Type.Array(Tag, { maxItems: 100 })),
    deviceValue: Type.Optional(literalUnion(DEVICE_VALUES)),
  },
  { ...strict, minProperties: 1 },
);
export type UpdateMachineBody = Static<typeof UpdateMachineBody>;

/**
 * `PATCH /alerts/{id}` (MDE "Update alert"). camelCase as MDE's example sends it. The enum
 * properties are plain strings here and checked by core, so a bad value answers `InvalidInput`
 * naming the property (what MDE documents for a bad value) rather than the schema's
 * `InvalidRequestBody`; allowed values: protocol ALERT_UPDATE_STATUSES, ALERT_CLASSIFICATIONS,
 * ALERT_DETERMINATIONS.
 */
export const UpdateAlertBody = Type.Object(
  {
    status: Type.Optional(Type.String({ maxLength: 64, description: 'New, InProgress or Resolved' })),
    assignedTo: Type.Optional(Type.String({ maxLength: 256, description: 'The owner; an empty string unassigns the alert' })),
    classification: Type.Optional(Type.String({ maxLength: 64, description: 'TruePositive, InformationalExpectedActivity or FalsePositive' })),
    determination: Type.Optional(Type.String({ maxLength: 64, description: 'MDE determination, e.g. Malware, SecurityTesting, NotMalicious, Other' })),
    comment: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_COMMENT_LENGTH, description: "Appended to the alert's comments" })),
  },
  strict,
);
export type UpdateAlertBody = Static<typeof UpdateAlertBody>;

/**
 * @extension Cordon: `POST /investigations/{id}/approve|reject`. A required Comment like the
 * action bodies; no ExternalId, since the decision is not an action.
 */
export const InvestigationDecisionBody = Type.Object({ Comment }, strict);
export type InvestigationDecisionBody = Static<typeof InvestigationDecisionBody>;
