import type { StoreProblem } from '../../shared/contract/app';
import { ErrorAlert } from '../components/Alert';
import { useT } from '../i18n';

/** Browser mode opened without `#token=...`: explain how to get in. */
export function NoTokenScreen({ rejected = false }: { rejected?: boolean }) {
  const t = useT();
  return (
    <main className="center-screen">
      <div className="card stack">
        <h1>{rejected ? t('noToken.rejectedTitle') : t('noToken.title')}</h1>
        <p>{rejected ? t('noToken.rejected') : t('noToken.explain')}</p>
        <p>{t('noToken.howTo')}</p>
        <pre className="mono command">npm run start:browser</pre>
        <p className="hint">{t('noToken.example')}</p>
      </div>
    </main>
  );
}

export function LoadingScreen() {
  const t = useT();
  return (
    <main className="center-screen">
      <p role="status" className="loading">
        {t('app.loading')}
      </p>
    </main>
  );
}

/** app.getState itself failed (e.g. the connection never came up). */
export function StartupErrorScreen({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const t = useT();
  return (
    <main className="center-screen">
      <div className="card stack">
        <h1>{t('app.startFailed')}</h1>
        <ErrorAlert error={error} />
        <div className="actions">
          <button type="button" className="button-primary" onClick={onRetry}>
            {t('common.tryAgain')}
          </button>
        </div>
      </div>
    </main>
  );
}

/** The profile's database could not be opened. Nothing was touched; say so, and where it is. */
export function StoreProblemScreen({ problem, onRetry }: { problem: StoreProblem; onRetry: () => void }) {
  const t = useT();
  return (
    <main className="center-screen">
      <div className="card card-wide stack" role="alert">
        <h1>{t('store.title')}</h1>
        <p>{t(`store.explain.${problem.code}`)}</p>
        <p className="label">{t('store.path')}</p>
        <p className="mono path">{problem.path}</p>
        <p>
          <strong>{t('store.untouched')}</strong>
        </p>
        <p>{t(`store.advice.${problem.code}`)}</p>
        <details>
          <summary>{t('common.technicalDetails')}</summary>
          <p className="mono">
            {problem.code}: {problem.message}
          </p>
        </details>
        <div className="actions">
          <button type="button" onClick={onRetry}>
            {t('common.tryAgain')}
          </button>
        </div>
      </div>
    </main>
  );
}
