/**
 * Live response for one device: compose a PutFile → RunScript → GetFile sequence (mde-api.md §4.9),
 * run it, and watch each command's status and transcript update live.
 */
import { useCallback, useEffect, useState } from 'react';
import { LIVE_RESPONSE_COMMAND_TYPES, type LiveResponseCommand, type LiveResponseCommandType, type Machine, type MachineAction } from '@cordon/protocol';
import { useApp } from '../app-context.js';
import { can } from '../session.js';
import { notAllowedText } from '../messages.js';
import { labelOf } from '../labels.js';
import { href } from '../router.js';
import { errorText } from '../format.js';
import { useActionStream } from '../live.js';
import { StatusBadge } from '../components/status-badge.js';
import { CommandTranscript } from '../components/command-transcript.js';
import { Library, useLibrary } from '../components/library.js';

interface Draft {
  type: LiveResponseCommandType;
  value: string;
  args: string;
}

const ORDER: Record<LiveResponseCommandType, number> = { PutFile: 0, RunScript: 1, GetFile: 2 };

export function toCommands(drafts: Draft[]): LiveResponseCommand[] {
  return drafts.map((d) => {
    if (d.type === 'PutFile') return { type: 'PutFile', params: [{ key: 'FileName', value: d.value }] };
    if (d.type === 'GetFile') return { type: 'GetFile', params: [{ key: 'Path', value: d.value }] };
    const params = [{ key: 'ScriptName', value: d.value }];
    if (d.args.trim()) params.push({ key: 'Args', value: d.args });
    return { type: 'RunScript', params };
  });
}

export function LiveResponsePage({ id }: { id: string }) {
  const { client, me } = useApp();
  const library = useLibrary();
  const [machine, setMachine] = useState<Machine>();
  const [drafts, setDrafts] = useState<Draft[]>([{ type: 'RunScript', value: '', args: '' }]);
  const [comment, setComment] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string>();
  const [action, setAction] = useState<MachineAction>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    client.getMachine(id).then(setMachine, (err: unknown) => setError(errorText(err)));
  }, [client, id]);
  useActionStream(
    useCallback((a: MachineAction) => setAction((cur) => (cur && cur.id === a.id ? a : cur)), []),
    machine?.id,
  );

  const ordered = drafts.every((d, i) => i === 0 || ORDER[drafts[i - 1]!.type] <= ORDER[d.type]);
  const complete = drafts.length > 0 && drafts.every((d) => d.value.trim() !== '');
  const update = (i: number, patch: Partial<Draft>) => setDrafts(drafts.map((d, j) => (j === i ? { ...d, ...patch } : d)));
  const allowed = can(me, 'runLiveResponse');

  const run = async (event: React.FormEvent) => {
    event.preventDefault();
    if (!confirming) return setConfirming(true);
    setBusy(true);
    setError(undefined);
    try {
      setAction(await client.runLiveResponse(id, toCommands(drafts), comment.trim()));
      setConfirming(false);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const libraryNames = library.files?.map((f) => f.fileName) ?? [];

  return (
    <>
      <p className="crumbs">
        <a href={href({ page: 'devices' })}>Devices</a> › <a href={href({ page: 'device', id })}>{machine?.computerDnsName ?? id}</a> ›
      </p>
      <h1>Live response{machine ? `: ${machine.computerDnsName}` : ''}</h1>
      {!allowed && <p className="error">Live response {notAllowedText('runLiveResponse').replace(/^Needs/, 'needs')}.</p>}
      <form className="live-form" onSubmit={run} aria-labelledby="commands-title">
        <h2 id="commands-title">Commands</h2>
        <p className="muted">Commands run in order: Put file, then Run script, then Get file. When one fails, the rest are skipped.</p>
        <datalist id="library-names">
          {libraryNames.map((n) => (
            <option key={n} value={n} />
          ))}
        </datalist>
        <ol className="commands">
          {drafts.map((d, i) => (
            <li key={i}>
              <label>
                Command {i + 1}
                <select value={d.type} onChange={(e) => update(i, { type: e.target.value as LiveResponseCommandType })}>
                  {LIVE_RESPONSE_COMMAND_TYPES.map((t) => (
                    <option key={t} value={t}>
                      {labelOf('commandType', t)}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                {d.type === 'GetFile' ? 'Path on the device' : d.type === 'PutFile' ? 'Library file' : 'Library script'}
                <input value={d.value} onChange={(e) => update(i, { value: e.target.value })} list={d.type === 'GetFile' ? undefined : 'library-names'} required size={28} />
              </label>
              {d.type === 'RunScript' && (
                <label>
                  Arguments
                  <input value={d.args} onChange={(e) => update(i, { args: e.target.value })} size={20} />
                </label>
              )}
              <button type="button" aria-label={`Remove command ${i + 1}`} onClick={() => setDrafts(drafts.filter((_, j) => j !== i))}>
                Remove
              </button>
            </li>
          ))}
        </ol>
        <button type="button" onClick={() => setDrafts([...drafts, { type: 'GetFile', value: '', args: '' }])}>
          Add command
        </button>
        {!ordered && <p className="error">Put the commands in the order Put file → Run script → Get file.</p>}
        <label htmlFor="live-comment">Comment (required)</label>
        <textarea id="live-comment" rows={2} required value={comment} onChange={(e) => setComment(e.target.value)} />
        {confirming && (
          <p role="alert" className="notice">
            Run {drafts.length} command{drafts.length === 1 ? '' : 's'} on {machine?.computerDnsName ?? id}? Select Confirm to run.
          </p>
        )}
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <div className="dialog-buttons">
          {confirming && (
            <button type="button" onClick={() => setConfirming(false)}>
              Back
            </button>
          )}
          <button type="submit" className="primary" disabled={!allowed || !ordered || !complete || comment.trim() === '' || busy}>
            {confirming ? 'Confirm' : 'Run'}
          </button>
        </div>
      </form>
      {action && (
        <section aria-labelledby="session-title" className="session" aria-live="polite">
          <h2 id="session-title">
            Session <StatusBadge status={action.status} />
          </h2>
          {action.errorMessage && <p className="error">{action.errorMessage}</p>}
          <CommandTranscript action={action} />
        </section>
      )}
      <Library library={library} />
    </>
  );
}
