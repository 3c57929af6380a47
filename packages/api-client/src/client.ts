/**
 * CordonClient: one typed method per public API operation (mde-api.md §3). Sends JSON with a
 * bearer token, retries once with a fresh token after a 401, and throws CordonApiError for every
 * refusal. Uses only fetch/URL/FormData so browsers and Node 20 both run it.
 */
import {
  ACTION_CATALOG,
  type ActionType,
  type Alert,
  type AlertClassification,
  type AlertDetermination,
  type AlertUpdateStatus,
  type Investigation,
  type IsolateBody,
  type IsolationType,
  type LiveResponseCommand,
  type RunAntiVirusScanBody,
  type RunLiveResponseBody,
  type ScanType,
  type StopAndQuarantineFileBody,
  type TagBody,
  type TimelineEntry,
  type TimelineKind,
} from '@cordon/protocol';
import { errorFromResponse } from './errors.js';
import { send, staticTokenSource, trimSlash, type TokenSource } from './token.js';
import { toSearchParams, type AgentPackageLinks, type CordonSettingsEntity, type LibraryFile, type ListQuery, type MachineActionEntity, type MachineEntity, type ODataPage, type ScriptTranscript } from './types.js';
import type { operations, paths } from './generated/openapi.js';

/** A path of the API as the server's OpenAPI document names it (`/api/machines/{id}/isolate`). */
export type ApiPath = keyof paths;
/** The JSON request body an operation's schema declares. */
export type JsonBodyOf<Op extends keyof operations> = operations[Op] extends { requestBody: { content: { 'application/json': infer B } } } ? B : never;

export interface CordonClientOptions {
  /** Server root (`https://cordon.example`); the API lives under `/api`. */
  baseUrl: string;
  token: TokenSource | string;
  fetch?: typeof fetch;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Per-request options of `request`. */
export interface RequestOptions {
  /** The Accept header (default application/json). */
  accept?: string;
  signal?: AbortSignal;
  /** More headers (`Last-Event-ID` when resuming an event stream). */
  headers?: Readonly<Record<string, string>>;
}

/** `GET /api/cordon/events` filters (Cordon extension, docs/extensions.md). */
export interface EventStreamQuery {
  machineId?: string;
  /** One action; its current state is the stream's first event. */
  actionId?: string;
}

export class CordonClient {
  readonly baseUrl: string;
  #tokens: TokenSource;
  #fetch: typeof fetch;

  constructor(options: CordonClientOptions) {
    this.baseUrl = trimSlash(options.baseUrl);
    this.#tokens = typeof options.token === 'string' ? staticTokenSource(options.token) : options.token;
    // Wrapped so a later `globalThis.fetch` swap (tests, polyfills) is honoured.
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
  }

  // --- machine actions (§4.2, §4.8) ---
  listMachineActions(query?: ListQuery): Promise<ODataPage<MachineActionEntity>> {
    return this.#json('GET', `${apiPath('/api/machineactions')}?${toSearchParams(query)}`);
  }
  /** Every action matching `query`, following `@odata.nextLink`. */
  listAllMachineActions(query?: ListQuery): Promise<MachineActionEntity[]> {
    return this.collectAll(`${apiPath('/api/machineactions')}?${toSearchParams(query)}`);
  }
  getMachineAction(id: string): Promise<MachineActionEntity> {
    return this.#json('GET', apiPath('/api/machineactions/{id}', { id }));
  }
  cancelMachineAction(id: string, comment: string): Promise<MachineActionEntity> {
    return this.#json('POST', apiPath('/api/machineactions/{id}/cancel', { id }), { Comment: comment } satisfies JsonBodyOf<'cancelMachineAction'>);
  }

  // --- response actions (§4.3–§4.7) ---
  isolate(machine: string, comment: string, isolationType?: IsolationType): Promise<MachineActionEntity> {
    const body: IsolateBody = isolationType ? { Comment: comment, IsolationType: isolationType } : { Comment: comment };
    return this.#action('/api/machines/{id}/isolate', machine, body satisfies JsonBodyOf<'isolate'>);
  }
  unisolate(machine: string, comment: string): Promise<MachineActionEntity> {
    return this.#action('/api/machines/{id}/unisolate', machine, { Comment: comment } satisfies JsonBodyOf<'unisolate'>);
  }
  restrictCodeExecution(machine: string, comment: string): Promise<MachineActionEntity> {
    return this.#action('/api/machines/{id}/restrictCodeExecution', machine, { Comment: comment } satisfies JsonBodyOf<'restrictCodeExecution'>);
  }
  unrestrictCodeExecution(machine: string, comment: string): Promise<MachineActionEntity> {
    return this.#action('/api/machines/{id}/unrestrictCodeExecution', machine, { Comment: comment } satisfies JsonBodyOf<'unrestrictCodeExecution'>);
  }
  runAntiVirusScan(machine: string, comment: string, scanType: ScanType): Promise<MachineActionEntity> {
    return this.#action('/api/machines/{id}/runAntiVirusScan', machine, { Comment: comment, ScanType: scanType } satisfies RunAntiVirusScanBody & JsonBodyOf<'runAntiVirusScan'>);
  }
  offboard(machine: string, comment: string): Promise<MachineActionEntity> {
    return this.#action('/api/machines/{id}/offboard', machine, { Comment: comment } satisfies JsonBodyOf<'offboard'>);
  }
  stopAndQuarantineFile(machine: string, comment: string, sha1: string): Promise<MachineActionEntity> {
    return this.#action('/api/machines/{id}/StopAndQuarantineFile', machine, { Comment: comment, Sha1: sha1 } satisfies StopAndQuarantineFileBody & JsonBodyOf<'stopAndQuarantineFile'>);
  }
  collectInvestigationPackage(machine: string, comment: string): Promise<MachineActionEntity> {
    return this.#action('/api/machines/{id}/collectInvestigationPackage', machine, { Comment: comment } satisfies JsonBodyOf<'collectInvestigationPackage'>);
  }
  /** A short-lived download link for a finished CollectInvestigationPackage action (§4.7). */
  async getPackageUri(actionId: string): Promise<string> {
    return (await this.#json<{ value: string }>('GET', apiPath('/api/machineactions/{id}/getPackageUri', { id: actionId }))).value;
  }

  // --- live response (§4.9–§4.11) ---
  runLiveResponse(machine: string, commands: LiveResponseCommand[], comment: string): Promise<MachineActionEntity> {
    return this.#action('/api/machines/{id}/runliveresponse', machine, { Commands: commands, Comment: comment } satisfies RunLiveResponseBody);
  }
  async getLiveResponseResultDownloadLink(actionId: string, index: number): Promise<string> {
    const path = apiPath('/api/machineactions/{id}/{fn}', { id: actionId, fn: `GetLiveResponseResultDownloadLink(index=${Math.trunc(index)})` }, false);
    return (await this.#json<{ value: string }>('GET', path)).value;
  }
  async listLibraryFiles(): Promise<LibraryFile[]> {
    return (await this.#json<ODataPage<LibraryFile>>('GET', apiPath('/api/libraryfiles'))).value;
  }
  /** `form` carries `File` plus optional `Description`, `ParametersDescription`, `HasParameters`, `OverrideIfExists`. */
  uploadLibraryFile(form: FormData): Promise<LibraryFile> {
    return this.#json('POST', apiPath('/api/libraryfiles'), form);
  }
  /** @extension Cordon: a signed, short-lived link to the file's content (no token needed to follow it). */
  async getLibraryFileDownloadLink(fileName: string): Promise<string> {
    return (await this.#json<{ value: string }>('GET', apiPath('/api/libraryfiles/{fileName}/downloadLink', { fileName }))).value;
  }
  async deleteLibraryFile(fileName: string): Promise<void> {
    await this.request('DELETE', apiPath('/api/libraryfiles/{fileName}', { fileName }));
  }

  // --- machines (§4.12, §5) ---
  listMachines(query?: ListQuery): Promise<ODataPage<MachineEntity>> {
    return this.#json('GET', `${apiPath('/api/machines')}?${toSearchParams(query)}`);
  }
  listAllMachines(query?: ListQuery): Promise<MachineEntity[]> {
    return this.collectAll(`${apiPath('/api/machines')}?${toSearchParams(query)}`);
  }
  /** `machine` is the device id or its computer name (§5). */
  getMachine(machine: string): Promise<MachineEntity> {
    return this.#json('GET', apiPath('/api/machines/{id}', { id: machine }));
  }
  tagMachine(machine: string, value: string, action: TagBody['Action']): Promise<MachineEntity> {
    return this.#json('POST', apiPath('/api/machines/{id}/tags', { id: machine }), { Value: value, Action: action } satisfies TagBody & JsonBodyOf<'addOrRemoveTag'>);
  }
  /** The device timeline (Cordon extension): actions, alerts and state changes, newest first. */
  getMachineTimeline(machine: string, query: { top?: number; skip?: number; kinds?: readonly TimelineKind[] } = {}): Promise<ODataPage<TimelineEntry>> {
    const params = new URLSearchParams();
    if (query.top !== undefined) params.set('$top', String(query.top));
    if (query.skip !== undefined) params.set('$skip', String(query.skip));
    if (query.kinds !== undefined && query.kinds.length > 0) params.set('kind', query.kinds.join(','));
    return this.#json('GET', `${apiPath('/api/machines/{id}/timeline', { id: machine })}?${params}`);
  }

  // --- agent packages (Cordon extension, docs/extensions.md) ---
  /** A fresh enrollment secret for `maxUses` devices, and the package links and one-liner made for it. */
  createAgentPackage(options: { maxUses: number; expiresInHours: number }): Promise<AgentPackageLinks> {
    return this.#json('POST', apiPath('/api/cordon/agentPackages'), { maxUses: options.maxUses, expiresInHours: options.expiresInHours } satisfies JsonBodyOf<'createAgentPackage'>);
  }

  /**
   * Any response action of the catalog by type (the CLI's verbs are generated from it): the body is
   * the request body the action's route takes.
   */
  createResponseAction(type: ActionType, machine: string, body: Readonly<Record<string, unknown>>): Promise<MachineActionEntity> {
    return this.#action(`/api/machines/{id}/${ACTION_CATALOG[type].segment}` as ApiPath & `/api/machines/{id}/${string}`, machine, body);
  }

  // --- tenant response settings (Cordon extension, docs/extensions.md) ---
  getCordonSettings(): Promise<CordonSettingsEntity> {
    return this.#json('GET', apiPath('/api/cordon/settings'));
  }
  /** Replaces the whole document (a list left out becomes empty); answers the stored settings. */
  updateCordonSettings(settings: JsonBodyOf<'updateCordonSettings'>): Promise<CordonSettingsEntity> {
    return this.#json('PUT', apiPath('/api/cordon/settings'), settings);
  }

  // --- action event stream (Cordon extension, docs/extensions.md) ---
  /**
   * Opens `GET /api/cordon/events` as a `text/event-stream` response; parse its body with
   * `streamEvents` from `@cordon/api-client/node`. Throws CordonApiError like every request (404
   * from a server without the extension).
   */
  openEventStream(query: EventStreamQuery = {}, signal?: AbortSignal): Promise<Response> {
    const params = new URLSearchParams();
    if (query.machineId !== undefined) params.set('machineId', query.machineId);
    if (query.actionId !== undefined) params.set('actionId', query.actionId);
    const search = params.size > 0 ? `?${params}` : '';
    return this.request('GET', `${apiPath('/api/cordon/events')}${search}`, undefined, { accept: 'text/event-stream', signal });
  }

  // --- alerts (MDE alert API; docs/extensions.md "Alert triage") ---
  listAlerts(query?: ListQuery): Promise<ODataPage<Alert>> {
    return this.#json('GET', `${apiPath('/api/alerts')}?${toSearchParams(query)}`);
  }
  /** Every alert matching `query`, following `@odata.nextLink`. */
  listAllAlerts(query?: ListQuery): Promise<Alert[]> {
    return this.collectAll(`${apiPath('/api/alerts')}?${toSearchParams(query)}`);
  }
  /** The alerts of one machine (`machine`: its id or computer name). */
  listMachineAlerts(machine: string, query?: ListQuery): Promise<ODataPage<Alert>> {
    return this.#json('GET', `${apiPath('/api/machines/{id}/alerts', { id: machine })}?${toSearchParams(query)}`);
  }
  getAlert(id: string): Promise<Alert> {
    return this.#json('GET', apiPath('/api/alerts/{id}', { id }));
  }
  /** MDE "Update alert": only the properties given change; `comment` is appended to `comments[]`. */
  updateAlert(id: string, update: AlertUpdate): Promise<Alert> {
    return this.#json('PATCH', apiPath('/api/alerts/{id}', { id }), update satisfies JsonBodyOf<'updateAlert'>);
  }

  // --- automated investigations (Cordon extension, docs/extensions.md) ---
  listInvestigations(query?: ListQuery): Promise<ODataPage<Investigation>> {
    return this.#json('GET', `${apiPath('/api/investigations')}?${toSearchParams(query)}`);
  }
  /** Every investigation matching `query`, following `@odata.nextLink`. */
  listAllInvestigations(query?: ListQuery): Promise<Investigation[]> {
    return this.collectAll(`${apiPath('/api/investigations')}?${toSearchParams(query)}`);
  }
  getInvestigation(id: string): Promise<Investigation> {
    return this.#json('GET', apiPath('/api/investigations/{id}', { id }));
  }
  startInvestigation(machine: string, comment: string): Promise<Investigation> {
    return this.#json('POST', apiPath('/api/machines/{id}/startInvestigation', { id: machine }), { Comment: comment } satisfies JsonBodyOf<'startInvestigation'>);
  }
  /** Starts the remediation a PendingApproval investigation holds back; it runs on as under level Full. */
  approveInvestigation(id: string, comment: string): Promise<Investigation> {
    return this.#json('POST', apiPath('/api/investigations/{id}/approve', { id }), { Comment: comment } satisfies JsonBodyOf<'approveInvestigation'>);
  }
  /** Declines a PendingApproval investigation's remediation: it ends TerminatedByUser. */
  rejectInvestigation(id: string, comment: string): Promise<Investigation> {
    return this.#json('POST', apiPath('/api/investigations/{id}/reject', { id }), { Comment: comment } satisfies JsonBodyOf<'rejectInvestigation'>);
  }

  /** A RunScript result (MDE's transcript JSON, §4.10) from its GetLiveResponseResultDownloadLink link. */
  async getScriptTranscript(link: string): Promise<ScriptTranscript> {
    return (await this.request('GET', link)).json() as Promise<ScriptTranscript>;
  }

  /**
   * Opens a download link (getPackageUri, GetLiveResponseResultDownloadLink, agent packages) as a
   * stream: the body is a file, not an API answer. The link carries its own signature; the bearer
   * token goes only to this server's origin (see request).
   */
  openDownload(link: string): Promise<Response> {
    return this.request('GET', link);
  }

  // --- plumbing ---
  /** Yields each page of a collection, following `@odata.nextLink` until none is left. */
  async *pages<T>(path: string): AsyncGenerator<ODataPage<T>> {
    let next: string | undefined = path;
    while (next) {
      const page: ODataPage<T> = await this.#json('GET', next);
      yield page;
      next = page['@odata.nextLink'];
    }
  }
  async collectAll<T>(path: string): Promise<T[]> {
    const all: T[] = [];
    for await (const page of this.pages<T>(path)) all.push(...page.value);
    return all;
  }

  /**
   * Sends one authenticated request; `pathOrUrl` is a path under the server or an absolute URL.
   * An absolute URL on another origin is sent WITHOUT the bearer token, so a link in a response
   * can never leak it to a third party. Throws CordonApiError unless the status is 2xx.
   */
  async request(method: Method, pathOrUrl: string, body?: unknown, options: RequestOptions = {}): Promise<Response> {
    const url = this.resolve(pathOrUrl);
    const sameOrigin = new URL(url).origin === new URL(this.baseUrl).origin;
    const attempt = async (): Promise<Response> => {
      const headers: Record<string, string> = { ...options.headers, accept: options.accept ?? 'application/json' };
      if (sameOrigin) headers.authorization = `Bearer ${await this.#tokens.getToken()}`;
      let payload: string | FormData | undefined;
      if (body instanceof FormData) payload = body; // fetch sets the multipart boundary itself
      else if (body !== undefined) {
        headers['content-type'] = 'application/json';
        payload = JSON.stringify(body);
      }
      return send(this.#fetch, url, { method, headers, body: payload, ...(options.signal ? { signal: options.signal } : {}) });
    };
    let response = await attempt();
    if (response.status === 401 && sameOrigin) {
      // The cached token may have been revoked or the server restarted with new keys: retry once.
      await response.body?.cancel();
      this.#tokens.invalidate();
      response = await attempt();
    }
    if (!response.ok) throw await errorFromResponse(response);
    return response;
  }

  /** Absolute URL for a path or link (links are used as given). */
  resolve(pathOrUrl: string): string {
    return /^https?:\/\//i.test(pathOrUrl) ? pathOrUrl : `${this.baseUrl}${pathOrUrl.startsWith('/') ? '' : '/'}${pathOrUrl}`;
  }

  async #json<T>(method: Method, path: string, body?: unknown): Promise<T> {
    const response = await this.request(method, path, body);
    return (await response.json()) as T;
  }
  #action(template: ApiPath & `/api/machines/{id}/${string}`, machine: string, body: unknown): Promise<MachineActionEntity> {
    return this.#json('POST', apiPath(template, { id: machine }), body);
  }
}

/** What `updateAlert` may change (MDE "Update alert"; at least one property). */
export interface AlertUpdate {
  status?: AlertUpdateStatus;
  /** An empty string unassigns. */
  assignedTo?: string;
  classification?: AlertClassification;
  determination?: AlertDetermination;
  /** Appended to the alert's comments. */
  comment?: string;
}

/**
 * Fills a path template of the OpenAPI document (`{id}` placeholders, values URL-encoded unless
 * `encode` is false, for OData function segments). Typed by the document, so a route the server
 * renamed or removed is a compile error here, not a 404 in the field.
 */
export function apiPath(template: ApiPath, params: Readonly<Record<string, string>> = {}, encode = true): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`apiPath: no value for {${name}} in ${template}`);
    return encode ? encodeURIComponent(value) : value;
  });
}
