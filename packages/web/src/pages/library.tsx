import { Library, useLibrary } from '../components/library.js';

export function LibraryPage() {
  const library = useLibrary();
  return (
    <>
      <h1>Live response library</h1>
      <p className="muted">Scripts and files that live response sessions may put on devices (PutFile) or run (RunScript).</p>
      <Library library={library} />
    </>
  );
}
