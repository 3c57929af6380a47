/**
 * Export of the current filtered list, every page (the api-client follows `@odata.nextLink`), as
 * CSV or JSON, built in the browser: the server has no export endpoint and needs none.
 */
import { useState } from 'react';
import type { MachineAction } from '@cordon/protocol';
import { errorText } from '../format.js';
import { toCsv } from '../action-filters.js';
import { saveText } from '../download.js';

function stamp(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}`;
}

export function ExportButtons({ load }: { load(): Promise<MachineAction[]> }) {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<string>();
  const run = async (format: 'csv' | 'json') => {
    setBusy(true);
    setError(undefined);
    setMessage(undefined);
    try {
      const actions = await load();
      const name = `actions-${stamp()}.${format}`;
      if (format === 'csv') saveText(name, toCsv(actions), 'text/csv;charset=utf-8');
      else saveText(name, `${JSON.stringify(actions, null, 2)}\n`, 'application/json');
      setMessage(`Exported ${actions.length.toLocaleString()} action${actions.length === 1 ? '' : 's'}.`);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="export">
      <button type="button" disabled={busy} onClick={() => void run('csv')}>
        Export CSV
      </button>
      <button type="button" disabled={busy} onClick={() => void run('json')}>
        Export JSON
      </button>
      <span role="status" className="muted">
        {busy ? 'Exporting…' : message}
      </span>
      {error && (
        <span role="alert" className="error">
          {error}
        </span>
      )}
    </span>
  );
}
