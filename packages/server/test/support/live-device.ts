/**
 * A fake device on the long-poll agent channel for console session tests: it polls (signed), keeps
 * what it receives, and answers live/command itself (it runs nothing); live/cancel is answered
 * Cancelled.
 */
import { AGENT_AUTH_HEADERS, AGENT_METHODS, AGENT_PATHS, type LiveCommandParams, type LiveDoneParams, type RpcNotification } from '@cordon/protocol';
import type { TestApp } from '../helpers.js';
import { sha256, type TestDevice } from '../forensics-helpers.js';

const RPC_CONTENT_TYPE = 'application/vnd.cordon.rpc+json';

export type Answer = (cmd: LiveCommandParams, device: FakeDevice) => Promise<void>;

/** A device on the long-poll channel: polls, records what it receives, answers live/command with `answer`. */
export class FakeDevice {
  received: RpcNotification[] = [];
  #stopped = false;
  #loop: Promise<void> | undefined;
  readonly #session = `session-${Math.random().toString(36).slice(2, 14)}`;
  constructor(
    readonly t: TestApp,
    readonly device: TestDevice,
    public answer: Answer | undefined,
  ) {}
  async rpc(method: string, params: unknown): Promise<{ result?: unknown; error?: { code: string } }> {
    const body = Buffer.from(JSON.stringify({ id: 1, method, params }));
    const headers = { ...this.device.headers('POST', AGENT_PATHS.rpc, sha256(body)), [AGENT_AUTH_HEADERS.session]: this.#session, 'content-type': RPC_CONTENT_TYPE };
    return (await this.t.app.inject({ method: 'POST', url: AGENT_PATHS.rpc, headers, payload: body })).json();
  }
  async start(): Promise<void> {
    await this.rpc(AGENT_METHODS.heartbeat.method, {});
    this.#loop = (async () => {
      while (!this.#stopped) {
        const res = await this.t.app.inject({ method: 'GET', url: AGENT_PATHS.poll, headers: { ...this.device.headers('GET', AGENT_PATHS.poll), [AGENT_AUTH_HEADERS.session]: this.#session } });
        for (const m of (res.json() as { messages?: RpcNotification[] }).messages ?? []) {
          this.received.push(m);
          if (m.method === AGENT_METHODS.liveCommand.method && this.answer) await this.answer(m.params as LiveCommandParams, this);
          if (m.method === AGENT_METHODS.liveCancel.method) {
            const p = m.params as { sessionId: string; commandId: number };
            await this.done({ sessionId: p.sessionId, commandId: p.commandId, status: 'Cancelled', exitCode: null, errors: [], cwd: '/', outputChunks: 0 });
          }
        }
      }
    })();
  }
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#loop;
  }
  output(sessionId: string, commandId: number, seq: number, text: string) {
    return this.rpc(AGENT_METHODS.liveOutput.method, { sessionId, commandId, seq, text });
  }
  done(p: LiveDoneParams) {
    return this.rpc(AGENT_METHODS.liveDone.method, p);
  }
  commands(): LiveCommandParams[] {
    return this.received.filter((m) => m.method === AGENT_METHODS.liveCommand.method).map((m) => m.params as LiveCommandParams);
  }
}

/** cd moves; dir writes two chunks and a table; everything else keeps running until the test ends it. */
export const shell: Answer = async (cmd, d) => {
  if (cmd.command === 'cd') return void (await d.done({ sessionId: cmd.sessionId, commandId: cmd.commandId, status: 'Completed', exitCode: 0, errors: [], cwd: cmd.argv[0]!, outputChunks: 0 }));
  if (cmd.command === 'dir') {
    await d.output(cmd.sessionId, cmd.commandId, 0, 'hosts\n');
    await d.output(cmd.sessionId, cmd.commandId, 1, 'passwd\n');
    await d.done({ sessionId: cmd.sessionId, commandId: cmd.commandId, status: 'Completed', exitCode: 0, errors: [], cwd: cmd.cwd, outputChunks: 2, table: { columns: ['name'], rows: [['hosts'], ['passwd']] } });
  }
};

