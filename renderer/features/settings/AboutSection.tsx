import { useCallback } from 'react';
import { useFlash } from '../../app/flash-context';
import { useQuery } from '../../app/hooks';
import { ErrorAlert } from '../../components/Alert';
import { useT } from '../../i18n';

export function AboutSection() {
  const t = useT();
  const flash = useFlash();
  const info = useQuery(useCallback(() => flash.app.getInfo(), [flash]));
  return (
    <section className="card stack">
      <h2 id="about-title">{t('about.title')}</h2>
      <ErrorAlert error={info.error} />
      {info.value && (
        <dl className="facts">
          <div>
            <dt>{t('about.version')}</dt>
            <dd>{info.value.version}</dd>
          </div>
          <div>
            <dt>{t('about.mode')}</dt>
            <dd>{t(`about.mode.${info.value.mode}`)}</dd>
          </div>
          <div>
            <dt>{t('about.platform')}</dt>
            <dd>{info.value.platform}</dd>
          </div>
          <div>
            <dt>{t('about.profile')}</dt>
            <dd>{info.value.profile}</dd>
          </div>
          <div>
            <dt>{t('about.dataDir')}</dt>
            <dd className="mono">{info.value.dataDir}</dd>
          </div>
        </dl>
      )}
    </section>
  );
}
