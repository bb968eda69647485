import { createRequire } from 'node:module';

const vendorRequire = createRequire(import.meta.url);

/**
 * Loads a vendor library's CommonJS build on first use. Their ES builds are not valid Node ESM
 * (extension-less relative imports in @ledgerhq/*; a doubly wrapped default in @trezor/connect),
 * and a static import would load node-hid and libusb at startup, before anyone opens Devices.
 */
export function loadVendorModule<T>(name: string): T {
  return vendorRequire(name) as T;
}
