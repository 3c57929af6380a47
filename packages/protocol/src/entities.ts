/**
 * JSON Schemas (TypeBox) of the response entities, for the server's OpenAPI document. The
 * interfaces in machine-action.ts and machine.ts stay the source of truth: the type checks at the
 * bottom fail to compile if a schema and its interface drift apart.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import {
  ACTION_STATUSES,
  ACTION_TYPES,
  COMMAND_STATUSES,
  FILE_IDENTIFIER_TYPES,
  LIVE_RESPONSE_COMMAND_TYPES,
  CONSOLE_COMMAND_TYPE,
  type MachineAction,
} from './machine-action.js';
import {
  DEVICE_VALUES,
  EXPOSURE_LEVELS,
  HEALTH_STATUSES,
  ISOLATION_STATES,
  ONBOARDING_STATUSES,
  RISK_SCORES,
  type Machine,
} from './machine.js';
import { ERROR_CODES, type ErrorBody } from './errors.js';
import { literalUnion, nullable } from './schema-helpers.js';

/** An enum as `anyOf` literals, typed as the union of its values (Type.Union over a mapped array would widen to string). */
/** `2019-01-02T14:39:38.2262283Z` (mde-api.md §4.1). */
const Timestamp = (description: string) => Type.String({ description, examples: ['2019-01-02T14:39:38.2262283Z'] });

export const RelatedFileInfoSchema = Type.Object({
  fileIdentifier: Type.String(),
  fileIdentifierType: literalUnion(FILE_IDENTIFIER_TYPES),
});

export const LiveResponseCommandEntrySchema = Type.Object({
  index: Type.Integer({ description: '0-based position in the request' }),
  startTime: nullable(Type.String()),
  endTime: nullable(Type.String()),
  commandStatus: literalUnion(COMMAND_STATUSES),
  errors: Type.Array(Type.String()),
  command: Type.Object({
    type: literalUnion([...LIVE_RESPONSE_COMMAND_TYPES, CONSOLE_COMMAND_TYPE] as const),
    params: Type.Array(Type.Object({ key: Type.String(), value: Type.String() })),
  }),
});

/** The MachineAction entity (mde-api.md §4.1), in MDE's property order. */
export const MachineActionSchema = Type.Object(
  {
    id: Type.String({ description: 'Action id (GUID)' }),
    type: literalUnion(ACTION_TYPES),
    title: nullable(Type.String()),
    requestor: Type.String({ description: 'User or application that issued the action' }),
    requestorComment: Type.String(),
    status: literalUnion(ACTION_STATUSES),
    machineId: Type.String(),
    computerDnsName: nullable(Type.String()),
    creationDateTimeUtc: Timestamp('When the action was requested'),
    lastUpdateDateTimeUtc: Timestamp('Last status change'),
    lastUpdateTimeUtc: Timestamp('Older name of lastUpdateDateTimeUtc; same value'),
    cancellationRequestor: nullable(Type.String()),
    cancellationComment: nullable(Type.String()),
    cancellationDateTimeUtc: nullable(Type.String()),
    errorHResult: Type.Integer(),
    scope: nullable(Type.String({ description: 'Full/Selective (isolation) or Quick/Full (scan)' })),
    externalId: nullable(Type.String()),
    requestSource: Type.String(),
    relatedFileInfo: nullable(RelatedFileInfoSchema),
    commands: Type.Array(LiveResponseCommandEntrySchema),
    troubleshootInfo: Type.Unknown(),
    expirationDateTimeUtc: Timestamp('Cordon extension: when a Pending action times out'),
    errorMessage: nullable(Type.String({ description: 'Cordon extension: why the action failed' })),
    result: nullable(Type.Record(Type.String(), Type.Unknown(), { description: 'Cordon extension: what the executor reported' })),
  },
  { title: 'MachineAction' },
);

/** The Machine entity (mde-api.md §5). */
export const MachineSchema = Type.Object(
  {
    id: Type.String(),
    computerDnsName: Type.String(),
    firstSeen: Type.String(),
    lastSeen: Type.String(),
    osPlatform: Type.String(),
    osVersion: nullable(Type.String()),
    osProcessor: Type.String(),
    version: nullable(Type.String()),
    lastIpAddress: nullable(Type.String()),
    lastExternalIpAddress: nullable(Type.String()),
    agentVersion: nullable(Type.String()),
    osBuild: nullable(Type.Integer()),
    healthStatus: literalUnion(HEALTH_STATUSES),
    deviceValue: literalUnion(DEVICE_VALUES),
    rbacGroupId: Type.Integer(),
    rbacGroupName: nullable(Type.String()),
    riskScore: literalUnion(RISK_SCORES),
    exposureLevel: literalUnion(EXPOSURE_LEVELS),
    isAadJoined: Type.Boolean(),
    aadDeviceId: nullable(Type.String()),
    machineTags: Type.Array(Type.String()),
    defenderAvStatus: Type.String(),
    onboardingStatus: literalUnion(ONBOARDING_STATUSES),
    osArchitecture: Type.String(),
    managedBy: Type.String(),
    managedByStatus: Type.String(),
    ipAddresses: Type.Array(
      Type.Object({ ipAddress: Type.String(), macAddress: Type.String(), operationalStatus: Type.String(), type: Type.String() }),
    ),
    vmMetadata: Type.Unknown(),
    isolationState: literalUnion(ISOLATION_STATES),
    isRestricted: Type.Boolean(),
    capabilities: Type.Array(Type.String()),
    avSignatureSources: nullable(Type.Array(Type.String())),
  },
  { title: 'Machine' },
);

/** The error envelope (mde-api.md §2.2). */
export const ErrorBodySchema = Type.Object(
  {
    error: Type.Object({
      code: literalUnion(Object.keys(ERROR_CODES) as (keyof typeof ERROR_CODES)[]),
      message: Type.String(),
      target: Type.String({ description: 'Request id, also in the server log' }),
    }),
  },
  { title: 'Error' },
);

/** An entity body: `@odata.context` plus the entity's properties. */
export const withODataContext = <T extends TSchema>(entity: T) =>
  Type.Intersect([Type.Object({ '@odata.context': Type.String() }), entity]);

/** A collection page (mde-api.md §2.4). */
export const odataCollection = <T extends TSchema>(item: T) =>
  Type.Object({
    '@odata.context': Type.String(),
    '@odata.count': Type.Optional(Type.Integer()),
    value: Type.Array(item),
    '@odata.nextLink': Type.Optional(Type.String({ description: 'Present when more rows remain' })),
  });

/** `{"@odata.context": "...#Edm.String", "value": "<url>"}` link results (mde-api.md §4.7, §4.10). */
export const ODataLinkSchema = Type.Object({ '@odata.context': Type.String(), value: Type.String({ description: 'Short-lived download URL' }) });

// Compile-time drift checks: each schema's static type and its interface must be mutually assignable.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const check = <T extends true>(): T | undefined => undefined;
check<Same<Static<typeof MachineActionSchema>, MachineAction>>();
check<Same<Static<typeof MachineSchema>, Machine>>();
check<Same<Static<typeof ErrorBodySchema>, ErrorBody>>();
