/**
 * The live response console of one device: a terminal-like page over a console session
 * (`/api/cordon/liveresponse/sessions`). Opening the page rejoins the person's Active session on the
 * device (its events replay from the start, so a reload shows everything again) or opens one; each
 * line typed is sent as a command and its output streams in from the session's event stream.
 * Keys in the command line: ↑/↓ history, Tab completion (on a non-empty line, so Tab still moves
 * on from an empty one), Ctrl-C cancels the running foreground command.
 */
import { useEffect, useMemo, useReducer, useRef, useState, type KeyboardEvent } from 'react';
import { CordonApiError, LiveSessionsClient } from '@cordon/api-client';
import { parseConsoleLine, type LiveSession, type LiveSessionEvent, type Machine } from '@cordon/protocol';
import { useApp } from '../app-context.js';
import { can, type Me } from '../session.js';
import { notAllowedText } from '../messages.js';
import { href } from '../router.js';
import { errorText, formatTime } from '../format.js';
import { useLibrary } from '../components/library.js';
import { saveText } from '../download.js';
import { ConsoleEntryView } from '../components/console-output.js';
import { applyConsoleEvent, completeLine, EMPTY_CONSOLE, foregroundCommand, visibleEntries, type ConsoleState } from '../console-state.js';

type Action = LiveSessionEvent | { event: 'reset' };
const reduce = (state: ConsoleState, action: Action): ConsoleState => (action.event === 'reset' ? EMPTY_CONSOLE : applyConsoleEvent(state, action));

/** A session this person opened (openedBy names a person as an action's requestor does: the display name). */
const isMine = (session: LiveSession, me: Me) => [me.user.displayName, me.user.name].some((n) => n.toLowerCase() === session.openedBy.toLowerCase());

/**
 * The server's own words for a refusal: a console refusal says which role a command needs or who
 * holds the device's session, which the generic "Your roles do not allow this" would hide.
 */
function consoleErrorText(err: unknown): string {
  if (err instanceof CordonApiError && err.status >= 400 && err.status < 500 && err.status !== 429 && err.message) return err.message;
  return errorText(err);
}

export function ConsolePage({ id }: { id: string }) {
  const { client, me } = useApp();
  const live = useMemo(() => new LiveSessionsClient(client), [client]);
  const library = useLibrary();
  const [machine, setMachine] = useState<Machine>();
  const [sessionId, setSessionId] = useState<string>();
  const [state, dispatch] = useReducer(reduce, EMPTY_CONSOLE);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [reconnecting, setReconnecting] = useState(false);
  const allowed = can(me, 'openLiveSession');

  const start = async (rejoin: boolean) => {
    setBusy(true);
    setError(undefined);
    try {
      const m = machine ?? (await client.getMachine(id));
      setMachine(m);
      const mine = rejoin ? (await live.list({ machineId: m.id, state: 'Active' })).find((s) => isMine(s, me)) : undefined;
      const session = mine ?? (await live.open(m.id));
      dispatch({ event: 'reset' });
      dispatch({ event: 'session', data: session });
      setSessionId(session.id);
    } catch (err) {
      setError(consoleErrorText(err));
    } finally {
      setBusy(false);
    }
  };
  const started = useRef(false);
  useEffect(() => {
    // Once per page: StrictMode's second effect run must not open a second session.
    if (started.current || !allowed) return;
    started.current = true;
    void start(true);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- runs once, on arrival
  }, []);

  useEffect(() => {
    if (!sessionId) return;
    const abort = new AbortController();
    (async () => {
      try {
        for await (const event of live.follow(sessionId, { signal: abort.signal, onReconnecting: () => setReconnecting(true) })) {
          setReconnecting(false);
          dispatch(event);
        }
      } catch (err) {
        if (!abort.signal.aborted) setError(consoleErrorText(err));
      }
    })();
    return () => abort.abort();
  }, [live, sessionId]);

  const close = async () => {
    if (!sessionId) return;
    setError(undefined);
    try {
      await live.close(sessionId);
      dispatch({ event: 'session', data: await live.get(sessionId) });
    } catch (err) {
      setError(consoleErrorText(err));
    }
  };

  const transcript = async () => {
    if (!sessionId) return;
    setError(undefined);
    try {
      saveText(`live-response-${sessionId}.txt`, await live.transcript(sessionId), 'text/plain');
    } catch (err) {
      setError(consoleErrorText(err));
    }
  };

  const session = state.session;
  const active = session?.state === 'Active';
  return (
    <>
      <p className="crumbs">
        <a href={href({ page: 'devices' })}>Devices</a> › <a href={href({ page: 'device', id })}>{machine?.computerDnsName ?? id}</a> ›
      </p>
      <h1>Live response session{machine ? `: ${machine.computerDnsName}` : ''}</h1>
      {!allowed && <p className="error">Live response {notAllowedText('openLiveSession').replace(/^Needs/, 'needs')}.</p>}
      <div className="console-bar">
        <SessionSummary session={session} opening={busy && !session} reconnecting={reconnecting} />
        {active && (
          <button type="button" onClick={close}>
            Close session
          </button>
        )}
        {allowed && session && !active && (
          <button type="button" className="primary" onClick={() => void start(false)} disabled={busy}>
            Start a new session
          </button>
        )}
        {allowed && !session && !busy && (
          <button type="button" className="primary" onClick={() => void start(true)}>
            Open session
          </button>
        )}
        {session && (
          <button type="button" onClick={transcript}>
            Download transcript
          </button>
        )}
        <a href={href({ page: 'live', id })}>Run a batch of commands instead</a>
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <Terminal state={state} sessionId={active ? sessionId : undefined} live={live} library={library.files?.map((f) => f.fileName) ?? []} onError={setError} onSent={dispatch} />
    </>
  );
}

function SessionSummary({ session, opening, reconnecting }: { session?: LiveSession; opening: boolean; reconnecting: boolean }) {
  if (opening) return <p className="console-session">Opening a session on the device…</p>;
  if (!session) return <p className="console-session">No session.</p>;
  return (
    <p className="console-session" data-state={session.state}>
      <strong>{session.state === 'Active' ? 'Active' : 'Closed'}</strong> · opened by {session.openedBy} at {formatTime(session.creationDateTimeUtc)}
      {session.state === 'Closed' && ` · closed at ${formatTime(session.closedDateTimeUtc)}${session.closeReason ? ` (${closeReasonText(session.closeReason)})` : ''}`}
      {reconnecting && ' · reconnecting…'}
    </p>
  );
}

function closeReasonText(reason: NonNullable<LiveSession['closeReason']>): string {
  return { ClosedByUser: 'closed by a person', IdleTimeout: 'idle for 30 minutes', DeviceDisconnected: 'the device disconnected', DeviceOffboarded: 'the device was offboarded' }[reason];
}

interface TerminalProps {
  state: ConsoleState;
  /** Set while commands may be sent (an Active session). */
  sessionId: string | undefined;
  live: LiveSessionsClient;
  library: readonly string[];
  onError(message: string | undefined): void;
  onSent(event: LiveSessionEvent): void;
}

function Terminal({ state, sessionId, live, library, onError, onSent }: TerminalProps) {
  const [line, setLine] = useState('');
  const [history, setHistory] = useState<string[]>([]);
  const [back, setBack] = useState(0); // 0: the line being typed; n: the nth newest history line
  const [draft, setDraft] = useState('');
  const [candidates, setCandidates] = useState<string[]>([]);
  const [notice, setNotice] = useState<string>();
  const [cancelling, setCancelling] = useState<number>();
  const log = useRef<HTMLDivElement>(null);
  const entries = visibleEntries(state);
  const cwd = state.session?.currentDirectory ?? '/';

  useEffect(() => {
    const el = log.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [state]);

  // "Cancelling…" lasts until the command has ended (its own line then says how).
  const cancelledEnded = cancelling !== undefined && state.entries[cancelling]?.command.status !== 'Running';
  useEffect(() => {
    if (!cancelledEnded) return;
    setCancelling(undefined);
    setNotice(undefined);
  }, [cancelledEnded]);

  // A rejoined session's earlier command lines are the history ↑ walks back through.
  const typed = state.order.map((id) => state.entries[id]!.command.commandLine);
  const rejoined = history.length === 0 && typed.length > 0;
  useEffect(() => {
    if (rejoined) setHistory(typed.filter((t, i) => t !== typed[i - 1]));
  }, [rejoined]); // eslint-disable-line react-hooks/exhaustive-deps -- seeded once, from the replayed session

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const text = line.trim();
    if (!text || !sessionId) return;
    setHistory((h) => (h[h.length - 1] === text ? h : [...h, text]));
    setBack(0);
    setLine('');
    setCandidates([]);
    setNotice(undefined);
    const parsed = parseConsoleLine(text);
    if (!parsed.ok) return onError(parsed.message);
    onError(undefined);
    try {
      onSent({ event: 'command', data: await live.send(sessionId, text) });
    } catch (err) {
      onError(consoleErrorText(err));
    }
  };

  const recall = (to: number) => {
    if (to < 0 || to > history.length) return;
    if (back === 0) setDraft(line);
    setBack(to);
    setLine(to === 0 ? draft : history[history.length - to]!);
  };

  const keyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    const input = event.currentTarget;
    if (event.key === 'ArrowUp') {
      event.preventDefault();
      recall(back + 1);
    } else if (event.key === 'ArrowDown') {
      event.preventDefault();
      recall(back - 1);
    } else if (event.key === 'Tab' && !event.shiftKey && line.trim() !== '') {
      event.preventDefault();
      const done = completeLine(line, { paths: state.paths, library, cwd });
      setLine(done.line);
      setCandidates(done.candidates);
    } else if (event.key === 'Escape') {
      setCandidates([]);
    } else if (event.ctrlKey && event.key.toLowerCase() === 'c' && input.selectionStart === input.selectionEnd) {
      // With text selected, Ctrl-C copies as everywhere else; without, it interrupts, as in a terminal.
      event.preventDefault();
      const running = foregroundCommand(state);
      if (!running || !sessionId) return setNotice('Nothing is running in the foreground.');
      setNotice(`Cancelling command ${running.id} (${running.command})…`);
      setCancelling(running.id);
      live.cancel(sessionId, running.id).catch((err: unknown) => onError(consoleErrorText(err)));
    }
  };

  return (
    <section className="console" aria-label="Console">
      <div ref={log} className="console-log" role="log" aria-label="Console output" aria-live="polite" tabIndex={0}>
        {entries.length === 0 && <p className="console-note">Type help to list the commands.</p>}
        {entries.map((e) => (
          <ConsoleEntryView key={e.command.id} entry={e} />
        ))}
      </div>
      <form className="console-input" onSubmit={submit}>
        <label htmlFor="console-command" className="console-cwd">
          {cwd}&gt;
        </label>
        <input
          id="console-command"
          aria-label={`Command (current directory ${cwd})`}
          value={line}
          onChange={(e) => setLine(e.target.value)}
          onKeyDown={keyDown}
          disabled={!sessionId}
          autoComplete="off"
          autoCapitalize="off"
          spellCheck={false}
          autoFocus
        />
        <button type="submit" disabled={!sessionId || line.trim() === ''}>
          Run
        </button>
      </form>
      <p className="console-hint muted" aria-live="polite">
        {candidates.length > 0 ? `Completions: ${candidates.join('  ')}` : (notice ?? '↑/↓ history · Tab completes · Ctrl-C cancels the running command · cls clears')}
      </p>
    </section>
  );
}
