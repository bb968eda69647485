import fs from 'node:fs';
import path from 'node:path';

/** USB vendor ids: Ledger; Trezor One (SatoshiLabs) and Trezor T/Safe (pid.codes). */
const HW_VENDORS = new Set(['2c97', '534c', '1209']);
const TREZOR_1209_PRODUCTS = new Set(['53c0', '53c1']);

export interface UsbAccessOptions {
  sysRoot?: string;
  devRoot?: string;
  canOpen?: (file: string) => boolean;
}

function read(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return null;
  }
}

const defaultCanOpen = (file: string): boolean => {
  try {
    fs.accessSync(file, fs.constants.R_OK | fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * Linux: is a Ledger or Trezor plugged in that this user may not open? Reads sysfs only (no native
 * module): a device whose /dev/bus/usb node, or one of its hidraw nodes, is not readable and
 * writable means the vendor's udev rules are missing. Other systems need no rules: always false.
 */
export function hasInaccessibleDevice(options: UsbAccessOptions = {}): boolean {
  if (!options.sysRoot && process.platform !== 'linux') return false;
  const sys = options.sysRoot ?? '/sys';
  const dev = options.devRoot ?? '/dev';
  const canOpen = options.canOpen ?? defaultCanOpen;
  const usbDir = path.join(sys, 'bus/usb/devices');
  let entries: string[];
  try {
    entries = fs.readdirSync(usbDir);
  } catch {
    return false;
  }
  for (const entry of entries) {
    const dir = path.join(usbDir, entry);
    const vendor = read(path.join(dir, 'idVendor'));
    if (!vendor || !HW_VENDORS.has(vendor)) continue;
    if (vendor === '1209' && !TREZOR_1209_PRODUCTS.has(read(path.join(dir, 'idProduct')) ?? '')) continue;
    const bus = Number(read(path.join(dir, 'busnum')));
    const num = Number(read(path.join(dir, 'devnum')));
    if (Number.isInteger(bus) && Number.isInteger(num) && bus > 0) {
      const node = path.join(dev, 'bus/usb', String(bus).padStart(3, '0'), String(num).padStart(3, '0'));
      if (!canOpen(node)) return true;
    }
    for (const hidraw of hidrawNodes(dir)) {
      if (!canOpen(path.join(dev, hidraw))) return true;
    }
  }
  return false;
}

/** hidraw device names below a USB device's sysfs folder (its interfaces), e.g. "hidraw3". */
function hidrawNodes(dir: string, depth = 0): string[] {
  if (depth > 4) return [];
  let names: fs.Dirent[];
  try {
    names = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const d of names) {
    if (d.name === 'hidraw' && d.isDirectory()) {
      try {
        out.push(...fs.readdirSync(path.join(dir, d.name)).filter((n) => n.startsWith('hidraw')));
      } catch {
        // unreadable: nothing to check
      }
    } else if (d.isDirectory() && !d.isSymbolicLink() && /[:.]|^\d/.test(d.name)) {
      out.push(...hidrawNodes(path.join(dir, d.name), depth + 1));
    }
  }
  return out;
}
