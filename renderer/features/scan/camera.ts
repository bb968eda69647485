/** Why the camera could not be opened, in the words the dialog shows. */
export type CameraProblem = 'none' | 'denied' | 'busy' | 'failed';

export class CameraError extends Error {
  constructor(readonly problem: CameraProblem) {
    super(`camera: ${problem}`);
    this.name = 'CameraError';
  }
}

/** Maps getUserMedia's DOMException names (Media Capture and Streams) to what the user can do. */
export function cameraProblemOf(err: unknown): CameraProblem {
  const name = err instanceof Error || err instanceof DOMException ? err.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'denied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'none';
  if (name === 'NotReadableError' || name === 'AbortError') return 'busy';
  return 'failed';
}

/** Video only, back camera first where there is a choice (laptops have one either way). */
export async function openCamera(
  media: MediaDevices | undefined = navigator.mediaDevices,
): Promise<MediaStream> {
  if (!media?.getUserMedia) throw new CameraError('none');
  try {
    return await media.getUserMedia({
      audio: false,
      video: { facingMode: { ideal: 'environment' }, width: { ideal: 1280 }, height: { ideal: 720 } },
    });
  } catch (err) {
    throw new CameraError(cameraProblemOf(err));
  }
}

/** Turns the camera off (its light too): every track of the stream is stopped. */
export function stopCamera(stream: MediaStream | null): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}
