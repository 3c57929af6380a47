/**
 * The live response library: list (size, SHA-256, download), upload (multipart, mde-api.md §4.11),
 * edit a description, delete. People who may only read (View data) get the list without the
 * controls. MDE has no update of an entry, so an edit downloads the content, checks it is still the
 * listed SHA-256, and uploads it again under the same name with OverrideIfExists.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { LibraryFile } from '@cordon/api-client';
import { useApp } from '../app-context.js';
import { can } from '../session.js';
import { errorText, formatBytes, formatTime } from '../format.js';
import { downloadUrl } from '../download.js';

export function useLibrary() {
  const { client, me } = useApp();
  const [files, setFiles] = useState<LibraryFile[]>();
  const [error, setError] = useState<string>();
  const allowed = can(me, 'listLibraryFiles');
  const reload = useCallback(() => {
    if (!allowed) return;
    client.listLibraryFiles().then(
      (f) => (setFiles(f), setError(undefined)),
      (err: unknown) => setError(errorText(err)),
    );
  }, [client, allowed]);
  useEffect(reload, [reload]);
  return { files, error, reload, allowed };
}

/** The upload refusal for a taken name, in the words of the form (its checkbox), not the API's field. */
function uploadErrorText(err: unknown, fileName: string): string {
  const text = errorText(err);
  if (/already exists/i.test(text)) return `${fileName} is already in the library. Tick “Replace a file of the same name” to replace it.`;
  return text;
}

async function sha256Hex(data: ArrayBuffer): Promise<string | undefined> {
  // SubtleCrypto exists only in secure contexts (https, localhost); elsewhere the check is skipped.
  if (!globalThis.crypto?.subtle) return undefined;
  const digest = await crypto.subtle.digest('SHA-256', data);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export function Library({ library }: { library: ReturnType<typeof useLibrary> }) {
  const { client, me } = useApp();
  const [message, setMessage] = useState<string>();
  const [actionError, setActionError] = useState<string>();
  const [editing, setEditing] = useState<LibraryFile>();
  const manage = can(me, 'uploadLibraryFile');

  if (!library.allowed) return <p className="muted">Your roles do not include reading the live response library.</p>;

  const download = async (f: LibraryFile) => {
    setActionError(undefined);
    try {
      downloadUrl(await client.getLibraryFileDownloadLink(f.fileName), f.fileName);
    } catch (err) {
      setActionError(errorText(err));
    }
  };

  const remove = async (fileName: string) => {
    if (!window.confirm(`Delete ${fileName} from the library?`)) return;
    setActionError(undefined);
    try {
      await client.deleteLibraryFile(fileName);
      setMessage(`Deleted ${fileName}.`);
      library.reload();
    } catch (err) {
      setActionError(errorText(err));
    }
  };

  return (
    <section aria-labelledby="library-title" className="library">
      <h2 id="library-title">Library files</h2>
      {!manage && <p className="muted">Read-only: changing the library needs the Manage security settings or Live response advanced role.</p>}
      {library.error && (
        <p role="alert" className="error">
          {library.error}
        </p>
      )}
      {actionError && (
        <p role="alert" className="error">
          {actionError}
        </p>
      )}
      {message && (
        <p role="status" className="notice">
          {message}
        </p>
      )}
      <div className="table-scroll">
        <table className="grid library-table">
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col">Description</th>
              <th scope="col">Parameters</th>
              <th scope="col" className="num">
                Size
              </th>
              <th scope="col">SHA-256</th>
              <th scope="col">Uploaded by</th>
              <th scope="col">Updated</th>
              <th scope="col">
                <span className="visually-hidden">Operations</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {library.files?.map((f) => (
              <tr key={f.fileName} data-file-name={f.fileName}>
                <td>
                  <code>{f.fileName}</code>
                </td>
                <td className="library-description">{f.description || <span className="muted">—</span>}</td>
                <td>{f.hasParameters ? f.parametersDescription || 'Yes' : 'No'}</td>
                <td className="num">{f.size === undefined ? '—' : formatBytes(f.size)}</td>
                <td>
                  <code className="hash" title={f.sha256}>
                    {f.sha256}
                  </code>
                </td>
                <td>{f.createdBy}</td>
                <td className="time">{formatTime(f.lastUpdatedTime)}</td>
                <td>
                  <div className="row-buttons">
                    <button type="button" onClick={() => void download(f)} aria-label={`Download ${f.fileName}`}>
                      Download
                    </button>
                    {manage && (
                      <>
                        <button type="button" onClick={() => setEditing(f)} aria-label={`Edit description of ${f.fileName}`}>
                          Edit
                        </button>
                        <button type="button" onClick={() => void remove(f.fileName)} aria-label={`Delete ${f.fileName}`}>
                          Delete
                        </button>
                      </>
                    )}
                  </div>
                </td>
              </tr>
            ))}
            {library.files && library.files.length === 0 && (
              <tr>
                <td colSpan={8} className="empty">
                  The library is empty.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {manage && <UploadForm onUploaded={(name) => (setMessage(`Uploaded ${name}.`), library.reload())} />}
      {editing && (
        <EditDialog
          file={editing}
          onClose={() => setEditing(undefined)}
          onSaved={(name) => {
            setMessage(`Saved the description of ${name}.`);
            library.reload();
          }}
        />
      )}
    </section>
  );
}

const EMPTY_FIELDS = { description: '', parametersDescription: '', hasParameters: false, override: false };

function UploadForm({ onUploaded }: { onUploaded(fileName: string): void }) {
  const { client } = useApp();
  const [fields, setFields] = useState(EMPTY_FIELDS);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const fileInput = useRef<HTMLInputElement>(null);

  const chooseFile = () => {
    // After a refused upload, a newly chosen file starts from an empty form: the description typed
    // for the refused file is not this file's.
    if (error) {
      setFields(EMPTY_FIELDS);
      setError(undefined);
    }
  };

  const upload = async (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const file = fileInput.current?.files?.[0];
    if (!file || file.size === 0) return setError('Choose a file that is not empty.');
    const data = new FormData();
    data.set('File', file);
    // Empty text fields are left out, so the entry's description is null, not an empty string.
    if (fields.description.trim()) data.set('Description', fields.description.trim());
    if (fields.parametersDescription.trim()) data.set('ParametersDescription', fields.parametersDescription.trim());
    data.set('HasParameters', fields.hasParameters ? 'true' : 'false');
    data.set('OverrideIfExists', fields.override ? 'true' : 'false');
    setBusy(true);
    setError(undefined);
    try {
      const saved = await client.uploadLibraryFile(data);
      setFields(EMPTY_FIELDS);
      if (fileInput.current) fileInput.current.value = '';
      onUploaded(saved.fileName);
    } catch (err) {
      setError(uploadErrorText(err, file.name));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="upload" onSubmit={upload} aria-labelledby="upload-title">
      <h3 id="upload-title">Upload a file</h3>
      <label>
        File (up to 20 MB)
        <input type="file" name="File" required ref={fileInput} onChange={chooseFile} />
      </label>
      <label>
        Description
        <input name="Description" maxLength={500} value={fields.description} onChange={(e) => setFields({ ...fields, description: e.target.value })} />
      </label>
      <label>
        Parameters description
        <input name="ParametersDescription" maxLength={500} value={fields.parametersDescription} onChange={(e) => setFields({ ...fields, parametersDescription: e.target.value })} />
      </label>
      <label className="inline">
        <input type="checkbox" name="HasParameters" checked={fields.hasParameters} onChange={(e) => setFields({ ...fields, hasParameters: e.target.checked })} /> Takes parameters
      </label>
      <label className="inline">
        <input type="checkbox" name="OverrideIfExists" checked={fields.override} onChange={(e) => setFields({ ...fields, override: e.target.checked })} /> Replace a file of the same name
      </label>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Uploading…' : 'Upload'}
      </button>
    </form>
  );
}

function EditDialog({ file, onClose, onSaved }: { file: LibraryFile; onClose(): void; onSaved(fileName: string): void }) {
  const { client } = useApp();
  const ref = useRef<HTMLDialogElement>(null);
  const [description, setDescription] = useState(file.description ?? '');
  const [parametersDescription, setParametersDescription] = useState(file.parametersDescription ?? '');
  const [hasParameters, setHasParameters] = useState(file.hasParameters);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  const save = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const response = await client.openDownload(await client.getLibraryFileDownloadLink(file.fileName));
      const content = await response.arrayBuffer();
      const hash = await sha256Hex(content);
      if (hash !== undefined && hash !== file.sha256) throw new Error(`${file.fileName} changed since the list was read; reload the page and edit again.`);
      const data = new FormData();
      data.set('File', new File([content], file.fileName));
      data.set('Description', description);
      data.set('ParametersDescription', parametersDescription);
      data.set('HasParameters', hasParameters ? 'true' : 'false');
      data.set('OverrideIfExists', 'true');
      await client.uploadLibraryFile(data);
      onSaved(file.fileName);
      ref.current?.close();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={ref} className="dialog" aria-labelledby="edit-library-title" onClose={onClose}>
      <form onSubmit={save}>
        <h2 id="edit-library-title">Edit {file.fileName}</h2>
        <label>
          Description
          <input value={description} maxLength={500} onChange={(e) => setDescription(e.target.value)} autoFocus />
        </label>
        <label>
          Parameters description
          <input value={parametersDescription} maxLength={500} onChange={(e) => setParametersDescription(e.target.value)} />
        </label>
        <label className="inline">
          <input type="checkbox" checked={hasParameters} onChange={(e) => setHasParameters(e.target.checked)} /> Takes parameters
        </label>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <div className="dialog-buttons">
          <button type="button" onClick={() => ref.current?.close()}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
    </dialog>
  );
}
