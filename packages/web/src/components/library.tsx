/** The live response library: list, upload (multipart, mde-api.md §4.11) and delete files. */
import { useCallback, useEffect, useState } from 'react';
import { CordonApiError, type LibraryFile } from '@cordon/api-client';
import { useApp } from '../app-context.js';
import { can } from '../session.js';
import { notAllowedText } from '../messages.js';
import { errorText, formatTime } from '../format.js';

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

export function Library({ library }: { library: ReturnType<typeof useLibrary> }) {
  const { client } = useApp();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string>();
  const [uploadError, setUploadError] = useState<string>();

  if (!library.allowed) return <p className="muted">Managing the live response library {notAllowedText('listLibraryFiles').replace(/^Needs/, 'needs')}.</p>;

  const upload = async (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const file = data.get('File');
    if (!(file instanceof File) || file.size === 0) return setUploadError('Choose a file');
    data.set('HasParameters', data.get('HasParameters') ? 'true' : 'false');
    data.set('OverrideIfExists', data.get('OverrideIfExists') ? 'true' : 'false');
    setBusy(true);
    setUploadError(undefined);
    try {
      const saved = await client.uploadLibraryFile(data);
      setMessage(`Uploaded ${saved.fileName}.`);
      form.reset();
      library.reload();
    } catch (err) {
      // The API's conflict message names the multipart field; people see the checkbox instead.
      const name = file.name;
      setUploadError(
        err instanceof CordonApiError && /already exists/.test(err.message)
          ? `${name} is already in the library. Tick “Replace a file of the same name” to replace it.`
          : errorText(err),
      );
    } finally {
      setBusy(false);
    }
  };

  const remove = async (fileName: string) => {
    if (!window.confirm(`Delete ${fileName} from the library?`)) return;
    try {
      await client.deleteLibraryFile(fileName);
      setMessage(`Deleted ${fileName}.`);
      library.reload();
    } catch (err) {
      setMessage(errorText(err));
    }
  };

  return (
    <section aria-labelledby="library-title" className="library">
      <h2 id="library-title">Library files</h2>
      {library.error && (
        <p role="alert" className="error">
          {library.error}
        </p>
      )}
      {message && (
        <p role="status" className="notice">
          {message}
        </p>
      )}
      <table className="grid">
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col">Description</th>
            <th scope="col">Parameters</th>
            <th scope="col">Uploaded by</th>
            <th scope="col">Updated</th>
            <th scope="col">
              <span className="visually-hidden">Operations</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {library.files?.map((f) => (
            <tr key={f.fileName}>
              <td>
                <code>{f.fileName}</code>
              </td>
              <td>{f.description ?? ''}</td>
              <td>{f.hasParameters ? (f.parametersDescription ?? 'yes') : 'no'}</td>
              <td>{f.createdBy}</td>
              <td>{formatTime(f.lastUpdatedTime)}</td>
              <td>
                <button type="button" onClick={() => remove(f.fileName)} aria-label={`Delete ${f.fileName}`}>
                  Delete
                </button>
              </td>
            </tr>
          ))}
          {library.files && library.files.length === 0 && (
            <tr>
              <td colSpan={6} className="empty">
                The library is empty.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <form className="upload" onSubmit={upload} aria-labelledby="upload-title">
        <h3 id="upload-title">Upload a file</h3>
        <label>
          File (up to 20 MB)
          <input type="file" name="File" required />
        </label>
        <label>
          Description
          <input name="Description" maxLength={500} />
        </label>
        <label>
          Parameters description
          <input name="ParametersDescription" maxLength={500} />
        </label>
        <label className="inline">
          <input type="checkbox" name="HasParameters" /> Takes parameters
        </label>
        <label className="inline">
          <input type="checkbox" name="OverrideIfExists" /> Replace a file of the same name
        </label>
        {uploadError && (
          <p role="alert" className="error">
            {uploadError}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Uploading…' : 'Upload'}
        </button>
      </form>
    </section>
  );
}
