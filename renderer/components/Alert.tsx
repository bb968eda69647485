import type { ReactNode } from 'react';
import { useErrorText } from '../i18n';

/** A message that screen readers announce at once (role="alert"). */
export function Alert({ children, tone = 'error' }: { children: ReactNode; tone?: 'error' | 'warning' }) {
  return (
    <p role="alert" className={`alert alert-${tone}`}>
      {children}
    </p>
  );
}

/** Shows a caught error (usually a BridgeCallError) as translated text; nothing when null. */
export function ErrorAlert({ error }: { error: unknown }) {
  const errorText = useErrorText();
  if (!error) return null;
  return <Alert>{errorText(error)}</Alert>;
}
