import type { FormEvent } from 'react';

/**
 * The one-line message box under a thread (DMs and channels). Enter sends, Shift+Enter adds a
 * line, as in other chat apps; submit stays off while busy or while the text is only whitespace.
 */
export function Composer({
  inputId,
  label,
  submitLabel,
  value,
  maxLength,
  busy,
  onChange,
  onSubmit,
}: {
  inputId: string;
  label: string;
  submitLabel: string;
  value: string;
  maxLength: number;
  busy: boolean;
  onChange: (text: string) => void;
  onSubmit: (e: FormEvent) => void;
}) {
  return (
    <form className="msg-composer" onSubmit={onSubmit}>
      <label htmlFor={inputId}>{label}</label>
      <textarea
        id={inputId}
        rows={2}
        value={value}
        maxLength={maxLength}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey) {
            e.preventDefault();
            e.currentTarget.form?.requestSubmit();
          }
        }}
      />
      <button type="submit" className="button-primary" disabled={busy || value.trim() === ''}>
        {submitLabel}
      </button>
    </form>
  );
}
