/**
 * Every response action asks for a comment and a confirmation (seed document: "type a comment and
 * select Confirm"). A native modal <dialog>: the browser traps focus, Escape closes it, and focus
 * returns to the button that opened it.
 */
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { errorText } from '../format.js';

export interface ConfirmDialogProps {
  title: string;
  description?: ReactNode;
  /** Extra inputs (isolation type, scan type, tag...). */
  children?: ReactNode;
  confirmLabel?: string;
  /** Whether a comment is required (default true). */
  commentRequired?: boolean;
  /** False for operations whose API takes no comment (tags). */
  showComment?: boolean;
  onConfirm(comment: string): Promise<void>;
  onClose(): void;
}

export function ConfirmDialog(props: ConfirmDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const id = useId();
  const showComment = props.showComment ?? true;
  const commentRequired = showComment && (props.commentRequired ?? true);

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await props.onConfirm(comment.trim());
      ref.current?.close();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={ref} className="dialog" aria-labelledby={`${id}-title`} onClose={props.onClose}>
      <form onSubmit={submit}>
        <h2 id={`${id}-title`}>{props.title}</h2>
        {props.description && <div className="dialog-description">{props.description}</div>}
        {props.children}
        {showComment && (
          <>
            <label htmlFor={`${id}-comment`}>Comment{commentRequired ? ' (required)' : ''}</label>
            <textarea id={`${id}-comment`} name="comment" rows={3} required={commentRequired} value={comment} onChange={(e) => setComment(e.target.value)} autoFocus />
          </>
        )}
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <div className="dialog-buttons">
          <button type="button" onClick={() => ref.current?.close()}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy || (commentRequired && comment.trim() === '')}>
            {busy ? 'Submitting…' : (props.confirmLabel ?? 'Confirm')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
