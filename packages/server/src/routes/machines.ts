/** `/machines` (mde-api.md §4.12, §5): list, get, tags, PATCH, findbytag, findbyip, logonusers. */
import { isIP } from 'node:net';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { DomainError, MACHINE_FIELDS, toWireMachine, type LogonUserService, type MachineRecord, type MachineService } from '@cordon/core';
import { BulkTagBody, CORDON_VERSION, TagBody, UpdateMachineBody, fromMdeTimestamp } from '@cordon/protocol';
import { collectionBody, contextUrl, entityBody, peekQuery } from '../odata-response.js';
import { parseCollectionQuery } from '../odata-query.js';
import { callerOf } from '../caller-of.js';

const IdParams = Type.Object({ id: Type.String() });
const FindByTagQuery = Type.Object({ tag: Type.String(), useStartsWithFilter: Type.Optional(Type.String()) });

/** `findbyip(ip='10.0.0.1',timestamp=2019-09-22T08:44:05Z)` — an OData function call in the path. */
const FIND_BY_IP = /^findbyip\(\s*ip\s*=\s*'([^']*)'\s*,\s*timestamp\s*=\s*'?([^')]*)'?\s*\)$/i;

export const machineRoutes: FastifyPluginAsync<{ machines: MachineService; logonUsers: LogonUserService }> = async (app, { machines, logonUsers }) => {
  const list = (request: FastifyRequest, rows: MachineRecord[]) => ({
    '@odata.context': contextUrl(request, 'Machines'),
    value: rows.map(toWireMachine),
  });

  // An empty tenant answers 200 with an empty list, not MDE's documented 404 "no recent machines"
  // (mde-api.md §5): every client handles an empty page, while a 404 breaks paging loops.
  // @extension Cordon: `outdatedAgents=true` keeps the devices whose agent reported a version other
  // than the one this server ships (CORDON_VERSION): agents that need an upgrade.
  app.get<{ Querystring: { outdatedAgents?: unknown } }>('/machines', { config: { operation: 'listMachines' } }, async (request) => {
    const outdated = request.query.outdatedAgents !== undefined && parseBool(String(request.query.outdatedAgents), 'outdatedAgents');
    const query = parseCollectionQuery(request, MACHINE_FIELDS, [{ field: 'lastSeen', direction: 'desc' }], outdated ? `agentVersion ne '${CORDON_VERSION}'` : undefined);
    const page = await machines.list(callerOf(request).tenantId, peekQuery(query));
    return collectionBody(request, 'Machines', query, { rows: page.rows.map(toWireMachine), count: page.count });
  });

  app.get<{ Querystring: { tag: string; useStartsWithFilter?: string } }>(
    '/machines/findbytag',
    { config: { operation: 'findMachinesByTag' }, schema: { querystring: FindByTagQuery } },
    async (request) => {
      const startsWith = parseBool(request.query.useStartsWithFilter ?? 'false', 'useStartsWithFilter');
      return list(request, await machines.findByTag(callerOf(request).tenantId, request.query.tag, startsWith));
    },
  );

  app.get<{ Params: { id: string } }>('/machines/:id', { config: { operation: 'getMachine' }, schema: { params: IdParams } }, async (request) => {
    const tenantId = callerOf(request).tenantId;
    const byIp = FIND_BY_IP.exec(request.params.id);
    if (byIp) return list(request, await findByIp(machines, tenantId, byIp[1], byIp[2]));
    return entityBody(request, 'Machines/$entity', toWireMachine(await machines.get(tenantId, request.params.id)));
  });

  // The accounts that logged on to the device (client-wire-facts 10), as its agent reports them.
  app.get<{ Params: { id: string } }>('/machines/:id/logonusers', { config: { operation: 'listLogonUsers' }, schema: { params: IdParams } }, async (request) => {
    return { '@odata.context': contextUrl(request, 'Users'), value: await logonUsers.list(callerOf(request).tenantId, request.params.id) };
  });

  app.post<{ Params: { id: string }; Body: TagBody }>(
    '/machines/:id/tags',
    { config: { operation: 'addOrRemoveTag' }, schema: { params: IdParams, body: TagBody } },
    async (request) => {
      const machine = await machines.tag(callerOf(request).tenantId, request.params.id, request.body.Value, request.body.Action);
      return entityBody(request, 'Machines/$entity', toWireMachine(machine));
    },
  );

  app.post<{ Body: BulkTagBody }>(
    '/machines/AddOrRemoveTagForMultipleMachines',
    { config: { operation: 'addOrRemoveTagForMultipleMachines' }, schema: { body: BulkTagBody } },
    async (request) => {
      const { Value, Action, MachineIds } = request.body;
      return list(request, await machines.tagMany(callerOf(request).tenantId, MachineIds, Value, Action));
    },
  );

  app.patch<{ Params: { id: string }; Body: UpdateMachineBody }>(
    '/machines/:id',
    { config: { operation: 'updateMachine' }, schema: { params: IdParams, body: UpdateMachineBody } },
    async (request) => {
      const machine = await machines.patch(callerOf(request).tenantId, request.params.id, request.body);
      return entityBody(request, 'Machines/$entity', toWireMachine(machine));
    },
  );
};

async function findByIp(machines: MachineService, tenantId: string, ip: string, timestamp: string): Promise<MachineRecord[]> {
  if (isIP(ip) === 0) throw new DomainError('InvalidIpAddress', `IP address ${ip} is invalid`);
  const at = fromMdeTimestamp(timestamp);
  if (!Number.isFinite(at)) throw new DomainError('InvalidInput', `Invalid input ${timestamp}: timestamp must be an ISO 8601 date-time`);
  return machines.findByIp(tenantId, ip, at);
}

function parseBool(value: string, name: string): boolean {
  const v = value.toLowerCase();
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new DomainError('InvalidInput', `Invalid input ${value}: ${name} must be true or false`);
}
