import { session } from 'electron';
import { isAppPage } from './renderer-url';

/** What Electron tells about a permission request; only the fields the decision reads. */
export interface PermissionAsk {
  permission: string;
  /** The page (frame) asking. */
  requestingUrl: string | undefined;
  /** For 'media' requests: 'video' and/or 'audio'. */
  mediaTypes?: readonly string[] | undefined;
}

/**
 * The one permission Flash grants: the camera, to scan QR codes, asked by the app's own page.
 * No microphone, no screen capture, nothing for any other page or frame. Everything else stays
 * refused, as hardenSession set it.
 */
export function allowsCameraOnly(ask: PermissionAsk, rendererUrl: string): boolean {
  if (ask.permission !== 'media' || !ask.requestingUrl) return false;
  if (!isAppPage(ask.requestingUrl, rendererUrl)) return false;
  // A request always names what it wants; a check (no mediaTypes) only asks "may this page use media".
  if (ask.mediaTypes === undefined) return true;
  return ask.mediaTypes.length > 0 && ask.mediaTypes.every((type) => type === 'video');
}

/** Installs the camera-only policy on the session once the app's page URL is known. */
export function allowAppCamera(rendererUrl: string, ses = session.defaultSession): void {
  ses.setPermissionRequestHandler((webContents, permission, callback, details) => {
    const page = webContents.getURL();
    callback(
      isAppPage(page, rendererUrl) &&
        allowsCameraOnly(
          {
            permission,
            requestingUrl: details.requestingUrl,
            mediaTypes: 'mediaTypes' in details ? details.mediaTypes : [],
          },
          rendererUrl,
        ),
    );
  });
  ses.setPermissionCheckHandler((webContents, permission, _origin, details) => {
    const page = webContents?.getURL();
    return (
      page !== undefined &&
      isAppPage(page, rendererUrl) &&
      allowsCameraOnly({ permission, requestingUrl: details.requestingUrl ?? page }, rendererUrl)
    );
  });
}
