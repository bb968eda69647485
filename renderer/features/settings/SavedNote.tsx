import { useEffect, useState } from 'react';
import { useT } from '../../i18n';

/** "Saved." for a few seconds after `savedAt` changes (announced via role="status"). */
export function SavedNote({ savedAt, text }: { savedAt: number | null; text?: string }) {
  const t = useT();
  const [visible, setVisible] = useState(false);
  useEffect(() => {
    if (savedAt === null) return;
    setVisible(true);
    const timer = setTimeout(() => setVisible(false), 3000);
    return () => clearTimeout(timer);
  }, [savedAt]);
  return (
    <span role="status" className="saved-note">
      {visible ? (text ?? t('common.saved')) : ''}
    </span>
  );
}
