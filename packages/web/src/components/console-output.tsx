/**
 * What the live response console shows of each command: the line typed, its status, its output as
 * it streams, its table (or JSON with `-output json`) once the device sent one, its errors, and a
 * download button for a getfile or collect result.
 */
import { useState } from 'react';
import type { LiveConsoleTable } from '@cordon/protocol';
import { useApp } from '../app-context.js';
import { errorText, formatBytes } from '../format.js';
import { downloadUrl } from '../download.js';
import { tableAsJson, type ConsoleEntry } from '../console-state.js';

export function ConsoleEntryView({ entry }: { entry: ConsoleEntry }) {
  const { command, output, table } = entry;
  return (
    <div className="console-entry" data-command-id={command.id} data-status={command.status}>
      <div className="console-line">
        <span className="console-prompt" aria-hidden="true">
          &gt;
        </span>{' '}
        <span className="console-typed">{command.commandLine}</span>{' '}
        <span className={`console-status status-${command.status.toLowerCase()}`}>
          [{command.id}] {command.status}
          {command.exitCode !== null && command.exitCode !== 0 ? ` (exit ${command.exitCode})` : ''}
          {command.background ? ' (background)' : ''}
        </span>
      </div>
      {table ? <TableOutput table={table} json={command.outputFormat === 'json'} label={`Table of command ${command.id}, ${command.command}`} /> : output && <pre className="console-text">{output}</pre>}
      {command.outputTruncated && <p className="console-note">The output was cut: it is longer than the console keeps.</p>}
      {command.errors.map((e, i) => (
        <pre key={i} className="console-error">
          {e}
        </pre>
      ))}
      {command.resultFile && command.machineActionId && command.status === 'Completed' && <ResultDownload actionId={command.machineActionId} file={command.resultFile} />}
    </div>
  );
}

function TableOutput({ table, json, label }: { table: LiveConsoleTable; json: boolean; label: string }) {
  if (json) return <pre className="console-text console-json">{tableAsJson(table)}</pre>;
  return (
    // Focusable so a keyboard can scroll a table wider than the console (a phone, long command lines).
    <div className="console-table-wrap" tabIndex={0} role="region" aria-label={label}>
      <table className="console-table">
        <thead>
          <tr>
            {table.columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row, i) => (
            <tr key={i}>
              {table.columns.map((c, j) => (
                <td key={c}>{row[j] === null || row[j] === undefined ? '' : String(row[j])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ResultDownload({ actionId, file }: { actionId: string; file: { name: string; size: number } }) {
  const { client } = useApp();
  const [error, setError] = useState<string>();
  const download = async () => {
    setError(undefined);
    try {
      // The result is the recorded action's first (only) command result, served by a signed link.
      downloadUrl(await client.getLiveResponseResultDownloadLink(actionId, 0), file.name);
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <p className="console-download">
      <button type="button" onClick={download}>
        Download {file.name}
      </button>{' '}
      <span className="muted">{formatBytes(file.size)}</span>
      {error && (
        <span role="alert" className="error">
          {' '}
          {error}
        </span>
      )}
    </p>
  );
}
