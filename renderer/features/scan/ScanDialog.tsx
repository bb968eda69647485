import { useEffect, useId, useRef, useState } from 'react';
import { useFlash } from '../../app/flash-context';
import { call } from '../../app/result';
import { useT } from '../../i18n';
import { CameraError, openCamera, stopCamera, type CameraProblem } from './camera';
import { loadQrFrameDecoder } from './qr-frame';
import { createScanSession } from './scan-session';

/** Time between two frames read: fast enough to follow an animated QR, light on a 2-core laptop. */
const FRAME_INTERVAL_MS = 120;
/** Frames are scaled down to this width before decoding: a QR held up to a camera stays readable. */
const DECODE_WIDTH = 800;

type View =
  | { kind: 'starting' }
  | { kind: 'scanning'; progress: { received: number; expected: number } | null; partsFailed: boolean }
  | { kind: 'problem'; problem: CameraProblem };

/**
 * The camera view. Opens the camera when it appears (the user's click on "Scan with camera"),
 * reads frames until a whole text is there, hands it to `onText`, and turns the camera off when
 * it closes or unmounts, whichever comes first.
 */
export function ScanDialog(props: { onText: (text: string) => void; onClose: () => void }) {
  const { onText, onClose } = props;
  const t = useT();
  const flash = useFlash();
  const id = useId();
  const videoRef = useRef<HTMLVideoElement>(null);
  const [view, setView] = useState<View>({ kind: 'starting' });
  const [attempt, setAttempt] = useState(0);
  // The latest callbacks, so the camera effect does not restart when the parent re-renders.
  const handlers = useRef({ onText, onClose });
  useEffect(() => {
    handlers.current = { onText, onClose };
  });

  useEffect(() => {
    let closed = false;
    let stream: MediaStream | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const session = createScanSession({
      urProgress: (parts) => call(flash.scan.urProgress({ parts })),
    });
    const canvas = document.createElement('canvas');
    const context = canvas.getContext('2d', { willReadFrequently: true });

    const run = async () => {
      try {
        const [opened, decode] = await Promise.all([openCamera(), loadQrFrameDecoder()]);
        stream = opened;
        if (closed) return stopCamera(stream);
        const video = videoRef.current;
        if (!video || !context) return;
        video.srcObject = stream;
        await video.play();
        if (closed) return;
        setView({ kind: 'scanning', progress: null, partsFailed: false });
        const readFrame = async () => {
          if (closed) return;
          if (video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA && video.videoWidth > 0) {
            const scale = Math.min(1, DECODE_WIDTH / video.videoWidth);
            canvas.width = Math.round(video.videoWidth * scale);
            canvas.height = Math.round(video.videoHeight * scale);
            context.drawImage(video, 0, 0, canvas.width, canvas.height);
            const text = decode(context.getImageData(0, 0, canvas.width, canvas.height));
            if (text !== null) {
              try {
                const step = await session.offer(text);
                if (closed) return;
                if (step.kind === 'done') {
                  closed = true;
                  stopCamera(stream);
                  handlers.current.onText(step.text);
                  return;
                }
                if (step.kind === 'progress') {
                  setView({ kind: 'scanning', progress: step, partsFailed: false });
                }
              } catch {
                if (!closed) setView((v) => (v.kind === 'scanning' ? { ...v, partsFailed: true } : v));
              }
            }
          }
          timer = setTimeout(() => void readFrame(), FRAME_INTERVAL_MS);
        };
        void readFrame();
      } catch (err) {
        stopCamera(stream);
        if (!closed)
          setView({ kind: 'problem', problem: err instanceof CameraError ? err.problem : 'failed' });
      }
    };
    void run();
    return () => {
      closed = true;
      clearTimeout(timer);
      stopCamera(stream);
    };
  }, [flash, attempt]);

  return (
    <div
      className="card stack scan-dialog"
      role="dialog"
      aria-labelledby={`${id}-title`}
      onKeyDown={(e) => {
        if (e.key === 'Escape') handlers.current.onClose();
      }}
    >
      <h3 id={`${id}-title`}>{t('scan.title')}</h3>
      {view.kind === 'problem' ? (
        <p role="alert" className="alert alert-error">
          {t(`scan.problem.${view.problem}`)}
        </p>
      ) : (
        <>
          <p className="hint">{view.kind === 'starting' ? t('scan.starting') : t('scan.hint')}</p>
          <video ref={videoRef} className="scan-video" muted playsInline aria-label={t('scan.video')} />
          {view.kind === 'scanning' && view.progress && (
            <p className="hint" role="status">
              {t('scan.progress', view.progress)}
            </p>
          )}
          {view.kind === 'scanning' && view.partsFailed && (
            <p role="alert" className="alert alert-warning">
              {t('scan.partsFailed')}
            </p>
          )}
        </>
      )}
      <div className="actions">
        {view.kind === 'problem' && (
          <button
            type="button"
            onClick={() => {
              setView({ kind: 'starting' });
              setAttempt((n) => n + 1);
            }}
          >
            {t('scan.retry')}
          </button>
        )}
        <button type="button" onClick={() => handlers.current.onClose()}>
          {t('scan.close')}
        </button>
      </div>
    </div>
  );
}
