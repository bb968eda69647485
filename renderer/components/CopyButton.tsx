import { useEffect, useState } from 'react';
import { useT } from '../i18n';

async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    // Some contexts (e.g. unfocused pages) refuse the async clipboard; fall back to a selection.
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.className = 'offscreen';
  document.body.append(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  if (!ok) throw new Error('copy failed');
}

/** Copies `text` and says "Copied" for a moment (announced via role="status"). */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const t = useT();
  const [feedback, setFeedback] = useState<'copied' | 'failed' | null>(null);
  useEffect(() => {
    if (!feedback) return;
    const timer = setTimeout(() => setFeedback(null), 2500);
    return () => clearTimeout(timer);
  }, [feedback]);
  return (
    <span className="copy">
      <button
        type="button"
        onClick={() => {
          copyText(text).then(
            () => setFeedback('copied'),
            () => setFeedback('failed'),
          );
        }}
      >
        {label}
      </button>
      <span role="status" className="copy-feedback">
        {feedback === 'copied' ? t('copy.copied') : feedback === 'failed' ? t('copy.failed') : ''}
      </span>
    </span>
  );
}
