import { useEffect, useState } from 'react';
import { QrCode } from '../../components/QrCode';
import { useI18n } from '../../i18n';

const FRAME_MS = 300;

/**
 * A token as a QR code. A big token comes from main as NUT-16 parts: they are shown in a loop
 * (a scanner collects them in any order), with a pause button for cameras that need it.
 */
export function TokenQr({ qr, token }: { qr: { animated: boolean; parts: string[] }; token: string }) {
  const { t } = useI18n();
  const [frame, setFrame] = useState(0);
  const [paused, setPaused] = useState(false);
  const count = qr.parts.length;
  useEffect(() => {
    setFrame(0);
  }, [qr]);
  useEffect(() => {
    if (!qr.animated || count < 2 || paused) return;
    const timer = setInterval(() => setFrame((f) => (f + 1) % count), FRAME_MS);
    return () => clearInterval(timer);
  }, [qr.animated, count, paused]);
  const value = qr.parts[frame % Math.max(count, 1)] ?? token;
  if (!qr.animated || count < 2) return <QrCode value={value} alt={t('ecash.send.qr')} />;
  return (
    <div className="stack ecash-animated-qr">
      <QrCode value={value} alt={t('ecash.send.qrPart', { part: String(frame + 1), count: String(count) })} />
      <p className="hint">{t('ecash.send.animated', { count: String(count) })}</p>
      <button type="button" onClick={() => setPaused((p) => !p)}>
        {paused ? t('ecash.send.play') : t('ecash.send.pause')}
      </button>
    </div>
  );
}
