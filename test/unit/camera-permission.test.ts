import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({ session: {} }));
const { allowsCameraOnly } = await import('../../main/app/camera-permission');

const APP = 'file:///opt/Flash/resources/app.asar/out/renderer/index.html';

describe('the camera permission', () => {
  it('lets the app page open the camera, video only', () => {
    expect(allowsCameraOnly({ permission: 'media', requestingUrl: APP, mediaTypes: ['video'] }, APP)).toBe(
      true,
    );
    expect(allowsCameraOnly({ permission: 'media', requestingUrl: `${APP}#/send` }, APP)).toBe(true);
  });

  it('refuses the microphone, screen capture and any other permission', () => {
    for (const mediaTypes of [['audio'], ['video', 'audio'], []]) {
      expect(allowsCameraOnly({ permission: 'media', requestingUrl: APP, mediaTypes }, APP)).toBe(false);
    }
    for (const permission of ['geolocation', 'notifications', 'clipboard-read', 'display-capture', 'hid']) {
      expect(
        allowsCameraOnly({ permission, requestingUrl: APP, mediaTypes: ['video'] }, APP),
        permission,
      ).toBe(false);
    }
  });

  it('refuses any other page, including another file on disk and a dev server elsewhere', () => {
    for (const requestingUrl of [
      'file:///tmp/evil/index.html',
      'https://example.com/',
      'http://127.0.0.1:5173/',
      undefined,
    ]) {
      expect(allowsCameraOnly({ permission: 'media', requestingUrl, mediaTypes: ['video'] }, APP)).toBe(
        false,
      );
    }
  });
});
