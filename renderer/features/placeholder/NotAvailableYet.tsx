import type { MessageKey } from '../../i18n';
import { useT } from '../../i18n';

export type PlannedArea = 'lightning' | 'ecash' | 'messages' | 'merchant' | 'devices';

/** An honest page for an area that is not built yet: what it will do, and no fake data. */
export function NotAvailableYet({ area }: { area: PlannedArea }) {
  const t = useT();
  const plans: MessageKey[] = [`planned.${area}.what`, `planned.${area}.how`];
  return (
    <div className="stack">
      <h1>{t(`nav.${area}`)}</h1>
      <section className="card stack placeholder" aria-labelledby="planned-title">
        <h2 id="planned-title">{t('planned.title')}</h2>
        {plans.map((key) => (
          <p key={key}>{t(key)}</p>
        ))}
        <p className="hint">{t('planned.honest')}</p>
      </section>
    </div>
  );
}
