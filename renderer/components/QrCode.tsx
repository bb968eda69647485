import { toString as renderQr } from 'qrcode';
import { useEffect, useState } from 'react';

function base64(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * A QR code drawn as SVG and shown through an <img data:> (the CSP allows data: images, and an
 * <img> cannot run scripts).
 */
export function QrCode({ value, alt }: { value: string; alt: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    renderQr(value, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' }).then(
      (svg) => {
        if (current) setSrc(`data:image/svg+xml;base64,${base64(svg)}`);
      },
      () => {
        if (current) setSrc(null);
      },
    );
    return () => {
      current = false;
    };
  }, [value]);
  if (!src) return <div className="qr qr-pending" role="img" aria-label={alt} />;
  return <img className="qr" src={src} alt={alt} width={220} height={220} />;
}
