import { toString as renderQr } from 'qrcode';
import { useEffect, useId, useState } from 'react';
import { useT } from '../../i18n';

/** Time each part stays on screen: fast enough to finish quickly, slow enough for cameras. */
export const FRAME_MS = 250;

function svgDataUrl(svg: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(svg)) binary += String.fromCharCode(byte);
  return `data:image/svg+xml;base64,${btoa(binary)}`;
}

/**
 * An animated QR: cycles through UR parts (a single part stays still). Frames are rendered once
 * as SVG data URLs, shown through <img> like the receive QR, so the CSP needs nothing new.
 */
export function AnimatedQr({
  parts,
  alt,
  version,
}: {
  parts: readonly string[];
  alt: string;
  /** One QR version for every frame (BBQr asks for it), so a short last part does not jump in size. */
  version?: number;
}) {
  const t = useT();
  const id = useId();
  const [frames, setFrames] = useState<string[] | null>(null);
  const [index, setIndex] = useState(0);
  const [paused, setPaused] = useState(false);

  useEffect(() => {
    let current = true;
    setFrames(null);
    setIndex(0);
    Promise.all(
      parts.map((p) =>
        // UR text is upper-cased for the QR alphanumeric mode: about 30% fewer modules.
        renderQr(p.toUpperCase(), {
          type: 'svg',
          margin: 2,
          errorCorrectionLevel: 'L',
          ...(version ? { version } : {}),
        }).then(svgDataUrl),
      ),
    ).then(
      (urls) => {
        if (current) setFrames(urls);
      },
      () => {
        if (current) setFrames([]);
      },
    );
    return () => {
      current = false;
    };
  }, [parts, version]);

  const count = frames?.length ?? 0;
  useEffect(() => {
    if (paused || count < 2) return;
    const timer = setInterval(() => setIndex((i) => (i + 1) % count), FRAME_MS);
    return () => clearInterval(timer);
  }, [paused, count]);

  const src = frames?.[index % Math.max(1, count)];
  return (
    <figure className="animated-qr" aria-labelledby={`${id}-caption`}>
      {src ? (
        <img className="qr" src={src} alt={alt} width={260} height={260} data-part={index + 1} />
      ) : (
        <div className="qr qr-pending" role="img" aria-label={alt} />
      )}
      <figcaption id={`${id}-caption`} className="animated-qr-caption">
        <span aria-live="off">{t('sendtools.qr.part', { index: index + 1, count: Math.max(1, count) })}</span>
        {count > 1 && (
          <button type="button" className="button-small" onClick={() => setPaused((p) => !p)}>
            {paused ? t('sendtools.qr.play') : t('sendtools.qr.pause')}
          </button>
        )}
      </figcaption>
    </figure>
  );
}
