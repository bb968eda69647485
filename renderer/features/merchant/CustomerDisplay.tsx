import { useCallback, useEffect, useState } from 'react';
import type { DisplayState } from '../../../shared/contract/merchant';
import { useFlash } from '../../app/flash-context';
import { useFlashEvent, useOnReconnect, useQuery } from '../../app/hooks';
import { QrCode } from '../../components/QrCode';
import { useT } from '../../i18n';
import { TokenQr } from '../ecash/TokenQr';
import './merchant.css';

/**
 * The customer-facing display: a second window in Electron, a second tab in browser mode. It
 * only shows what the counter shows (the cart total, the QR, "Paid"); it can change nothing.
 */
export function CustomerDisplay() {
  const t = useT();
  const flash = useFlash();
  const query = useQuery(useCallback(() => flash.merchant.getDisplay(), [flash]));
  const { reload } = query;
  const [state, setState] = useState<DisplayState | null>(null);
  useEffect(() => {
    if (query.value) setState(query.value);
  }, [query.value]);
  useFlashEvent('merchant.display', setState);
  useOnReconnect(reload);
  const d = state;
  return (
    <main
      className={`customer-display customer-${d?.phase ?? 'idle'}${
        d?.phase === 'paid' && d.reward ? ' customer-with-reward' : ''
      }`}
    >
      {!d || d.phase === 'idle' ? (
        <h1>{t('merchant.display.welcome', { store: d?.storeName ?? '' })}</h1>
      ) : (
        <>
          {d.storeName && <p className="customer-store">{d.storeName}</p>}
          {d.lines.length > 0 && d.phase === 'cart' && (
            <ul className="customer-lines">
              {d.lines.map((l, i) => (
                <li key={`${l.title}-${i}`}>
                  {l.count} × {l.title}
                </li>
              ))}
            </ul>
          )}
          <p className="customer-label">{t('merchant.display.total')}</p>
          <p className="customer-total" data-testid="customer-total">
            {d.total} {d.currency}
          </p>
          {d.phase === 'charging' && d.qr && (
            <div className="customer-qr">
              <QrCode
                value={d.qr}
                alt={t(d.ecash ? 'merchant.display.scanEcash' : 'merchant.display.scan')}
              />
              <p>{t(d.ecash ? 'merchant.display.scanEcash' : 'merchant.display.scan')}</p>
            </div>
          )}
          {d.phase === 'paid' && (
            <p className="customer-paid" role="status">
              {t('merchant.display.paid')}
            </p>
          )}
          {d.stamps && (
            <p className="customer-stamps" data-testid="customer-stamps">
              {t('merchant.display.stamps', { stamps: d.stamps.stamps, every: d.stamps.every })}
            </p>
          )}
          {d.phase === 'paid' && d.reward && (
            <div className="customer-qr customer-reward">
              <p className="customer-label">{t('merchant.display.reward', { sats: d.reward.sats })}</p>
              {d.reward.card ? (
                <p role="status">{t('merchant.display.rewardTapCard')}</p>
              ) : (
                <>
                  {d.reward.tokenQr?.animated ? (
                    <TokenQr qr={d.reward.tokenQr} token={d.reward.token ?? ''} />
                  ) : (
                    <QrCode
                      value={d.reward.token ?? d.reward.lnurl ?? ''}
                      alt={t(
                        d.reward.token ? 'merchant.display.rewardScanEcash' : 'merchant.display.rewardScan',
                      )}
                    />
                  )}
                  <p>
                    {t(d.reward.token ? 'merchant.display.rewardScanEcash' : 'merchant.display.rewardScan')}
                  </p>
                </>
              )}
            </div>
          )}
          {d.phase === 'problem' && <p role="status">{t('merchant.display.problem')}</p>}
        </>
      )}
    </main>
  );
}
