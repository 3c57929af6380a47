/**
 * @extension Cordon: the device timeline (`GET /api/machines/{id}/timeline`): the machine's
 * actions, alerts and recorded state changes (health, isolation, restriction, tags) in one list,
 * newest first. MDE's portal has a device timeline; its API has none.
 */
import { Type, type Static } from '@sinclair/typebox';

export const TIMELINE_KINDS = ['action', 'alert', 'health', 'isolation', 'restriction', 'tags'] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

/** Page limits of the timeline: it is read by people, a page at a time. */
export const TIMELINE_LIMITS = { defaultTop: 50, maxTop: 200, maxSkip: 5000 } as const;

const S = Type.String();
export const TimelineEntrySchema = Type.Object(
  {
    kind: Type.Union(TIMELINE_KINDS.map((k) => Type.Literal(k))),
    /** When it happened (an action's or alert's creation, a change's recording), MDE timestamp form. */
    time: S,
    actionId: Type.Optional(S),
    actionType: Type.Optional(S),
    /** The action's or the alert's status now. */
    status: Type.Optional(S),
    requestor: Type.Optional(S),
    requestorComment: Type.Optional(S),
    alertId: Type.Optional(S),
    title: Type.Optional(S),
    severity: Type.Optional(S),
    /** health and isolation: the states; restriction: booleans. */
    from: Type.Optional(Type.Union([S, Type.Boolean()])),
    to: Type.Optional(Type.Union([S, Type.Boolean()])),
    /** tags: what was added and removed in one change. */
    added: Type.Optional(Type.Array(S)),
    removed: Type.Optional(Type.Array(S)),
  },
  { additionalProperties: false, description: 'One entry of the device timeline' },
);
export type TimelineEntry = Static<typeof TimelineEntrySchema>;

/** Query options, as strings (query values are never coerced; the route checks the ranges). */
export const TimelineQuery = Type.Object(
  {
    $top: Type.Optional(Type.String({ pattern: '^[0-9]{1,6}$', description: `Page size, 1-${TIMELINE_LIMITS.maxTop} (default ${TIMELINE_LIMITS.defaultTop})` })),
    $skip: Type.Optional(Type.String({ pattern: '^[0-9]{1,6}$', description: `Entries to skip, at most ${TIMELINE_LIMITS.maxSkip}` })),
    kind: Type.Optional(Type.String({ maxLength: 200, description: `Comma-separated kinds to keep: ${TIMELINE_KINDS.join(', ')}` })),
  },
  { additionalProperties: false },
);
export type TimelineQuery = Static<typeof TimelineQuery>;
