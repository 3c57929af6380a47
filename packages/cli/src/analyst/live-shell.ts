/**
 * One live response console session seen from the CLI: sends command lines, follows the session's
 * event stream (resuming after a drop), and tells the caller when each command has ended and what
 * it printed. The terminal and piped front ends (commands/live-shell.ts) share it.
 */
import type { LiveSessionsClient } from '@cordon/api-client';
import type { LiveConsoleTable, LiveSession, LiveSessionCommand } from '@cordon/protocol';

interface Tracked {
  command: LiveSessionCommand;
  table?: LiveConsoleTable;
  finished: Promise<LiveSessionCommand>;
  resolve(command: LiveSessionCommand): void;
  reject(err: Error): void;
}

/** What a finished command produced: its final state, all its output text, and its table if any. */
export interface LiveCommandResult {
  command: LiveSessionCommand;
  output: string;
  table: LiveConsoleTable | null;
}

export class LiveShellSession {
  readonly live: LiveSessionsClient;
  #session: LiveSession;
  #tracked = new Map<number, Tracked>();
  #abort = new AbortController();
  #following: Promise<void>;
  #closedReason: string | undefined;
  #closing = false;
  /** Called with each output chunk as it arrives (the terminal streams the foreground command's). */
  onOutput: (commandId: number, text: string) => void = () => {};
  /** Called once if the session closes by itself (idle, device gone) or the stream fails for good. */
  onClosed: (why: string) => void = () => {};

  constructor(live: LiveSessionsClient, session: LiveSession) {
    this.live = live;
    this.#session = session;
    this.#following = this.#follow();
  }

  get id(): string {
    return this.#session.id;
  }
  get cwd(): string {
    return this.#session.currentDirectory;
  }

  /** Sends a line; throws the server's refusal (nothing ran). */
  async send(commandLine: string): Promise<LiveSessionCommand> {
    if (this.#closedReason) throw new Error(this.#closedReason);
    const command = await this.live.send(this.id, commandLine);
    this.#update(command);
    return command;
  }

  /** Resolves with the command's final state (not Running); rejects if the session closes first. */
  finished(commandId: number): Promise<LiveSessionCommand> {
    return this.#track(commandId).finished;
  }

  /** The whole output (the server's copy, so nothing a dropped stream missed is lost) and table. */
  async result(command: LiveSessionCommand): Promise<LiveCommandResult> {
    const output = await this.live.output(this.id, command.id);
    return { command, output, table: this.#tracked.get(command.id)?.table ?? null };
  }

  /** Commands sent from here that are still running. */
  running(): LiveSessionCommand[] {
    return [...this.#tracked.values()].map((t) => t.command).filter((c) => c.status === 'Running');
  }

  async cancel(commandId: number): Promise<void> {
    await this.live.cancel(this.id, commandId);
  }

  /** Closes the session on the server (once) and stops following it. */
  async close(): Promise<void> {
    this.#closing = true;
    try {
      if (!this.#closedReason) await this.live.close(this.id);
    } finally {
      this.#closedReason ??= 'the session is closed';
      this.#abort.abort();
      await this.#following;
    }
  }

  #track(commandId: number, command?: LiveSessionCommand): Tracked {
    let tracked = this.#tracked.get(commandId);
    if (!tracked) {
      let resolve!: (c: LiveSessionCommand) => void;
      let reject!: (e: Error) => void;
      const finished = new Promise<LiveSessionCommand>((res, rej) => ((resolve = res), (reject = rej)));
      // A command nobody waits for (sent in the background, then the session closed) must not crash the process.
      finished.catch(() => undefined);
      tracked = { command: command ?? ({ id: commandId, status: 'Running' } as LiveSessionCommand), finished, resolve, reject };
      this.#tracked.set(commandId, tracked);
      if (this.#closedReason) reject(new Error(this.#closedReason));
    }
    return tracked;
  }

  #update(command: LiveSessionCommand): void {
    const tracked = this.#track(command.id, command);
    // Events and the POST's answer race: never let an older Running copy replace a final state.
    if (tracked.command.status !== 'Running' && command.status === 'Running') return;
    tracked.command = command;
    if (command.status !== 'Running') tracked.resolve(command);
  }

  async #follow(): Promise<void> {
    try {
      for await (const event of this.live.follow(this.id, { signal: this.#abort.signal })) {
        if (event.event === 'session') {
          this.#session = event.data;
          if (event.data.state === 'Closed') this.#closed(`the session closed (${event.data.closeReason ?? 'closed'})`);
        } else if (event.event === 'command') this.#update(event.data);
        else if (event.event === 'output') this.onOutput(event.data.commandId, event.data.text);
        else this.#track(event.data.commandId).table = { columns: event.data.columns, rows: event.data.rows };
      }
    } catch (err) {
      if (!this.#abort.signal.aborted) this.#closed(`the session's event stream failed: ${(err as Error).message}`);
    }
  }

  #closed(why: string): void {
    if (this.#closedReason) return;
    this.#closedReason = why;
    for (const t of this.#tracked.values()) if (t.command.status === 'Running') t.reject(new Error(why));
    if (!this.#closing) this.onClosed(why);
  }
}
