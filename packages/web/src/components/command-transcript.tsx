/**
 * The commands of a LiveResponse action with their status, errors and results: RunScript results
 * are fetched and shown as a transcript (mde-api.md §4.10 JSON), GetFile results are downloads.
 */
import { useState } from 'react';
import type { MachineAction } from '@cordon/protocol';
import { useApp } from '../app-context.js';
import { can } from '../session.js';
import { errorText, formatTime } from '../format.js';
import { downloadUrl } from '../download.js';
import { labelOf } from '../labels.js';

interface ScriptResult {
  script_name: string;
  exit_code: number;
  script_output: string;
  script_errors: string;
}

export function CommandTranscript({ action }: { action: MachineAction }) {
  return (
    <ol className="transcript" aria-label="Live response commands">
      {action.commands.map((c) => (
        <CommandRow key={c.index} action={action} index={c.index} />
      ))}
    </ol>
  );
}

function CommandRow({ action, index }: { action: MachineAction; index: number }) {
  const { client, me } = useApp();
  const entry = action.commands[index]!;
  const [output, setOutput] = useState<ScriptResult | string>();
  const [error, setError] = useState<string>();
  const params = entry.command.params.map((p) => `${p.key}=${p.value}`).join(' ');
  const hasResult = entry.commandStatus === 'Completed' && entry.command.type !== 'PutFile';
  const allowed = can(me, 'getLiveResponseResultDownloadLink');

  const fetchResult = async () => {
    setError(undefined);
    try {
      const link = await client.getLiveResponseResultDownloadLink(action.id, index);
      if (entry.command.type === 'GetFile') return downloadUrl(link);
      const res = await fetch(link);
      if (!res.ok) throw new Error(`result download answered ${res.status}`);
      const text = await res.text();
      try {
        setOutput(JSON.parse(text) as ScriptResult);
      } catch {
        setOutput(text);
      }
    } catch (err) {
      setError(errorText(err));
    }
  };

  return (
    <li>
      <div className="command-head">
        <strong>{labelOf('commandType', entry.command.type)}</strong> <code>{params}</code> <span className={`badge cmd-${entry.commandStatus.toLowerCase()}`}>{labelOf('commandStatus', entry.commandStatus)}</span>
        <span className="muted">
          {entry.startTime ? ` started ${formatTime(entry.startTime)}` : ''}
          {entry.endTime ? `, ended ${formatTime(entry.endTime)}` : ''}
        </span>
        {hasResult && (
          <button type="button" disabled={!allowed} onClick={fetchResult}>
            {entry.command.type === 'GetFile' ? 'Download file' : 'Show output'}
          </button>
        )}
      </div>
      {entry.errors.length > 0 && <p className="error">{entry.errors.join('; ')}</p>}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {typeof output === 'string' && <pre className="output">{output}</pre>}
      {output && typeof output === 'object' && (
        <div>
          <p>
            {output.script_name}: exit code {output.exit_code}
          </p>
          <pre className="output" aria-label="Script output">
            {output.script_output}
          </pre>
          {output.script_errors && (
            <pre className="output errors" aria-label="Script errors">
              {output.script_errors}
            </pre>
          )}
        </div>
      )}
    </li>
  );
}
