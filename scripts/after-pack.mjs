// electron-builder afterPack hook: flips Electron's fuses in the packaged binary, before signing.
// Fuses are bits compiled into the Electron executable; once flipped, no flag, environment
// variable or file next to the app can turn these features back on.
import { FuseV1Options, FuseVersion } from '@electron/fuses';

/** Arch.arm64 and Arch.universal in electron-builder's numbering. */
const ARM64 = 3;
const UNIVERSAL = 4;

/** The fuses Flash ships with, and why. */
export const FLASH_FUSES = {
  version: FuseVersion.V1,
  // ELECTRON_RUN_AS_NODE would turn the signed app into a plain Node.js for any local program.
  [FuseV1Options.RunAsNode]: false,
  // NODE_OPTIONS could preload code into main, where the keys live.
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  // --inspect would open a debugger into main.
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  // app.asar must match the hash recorded at build time (checked on macOS and Windows).
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  // Only the app inside app.asar loads; an `app` folder dropped beside it is ignored.
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
};

/** The fuse config for one packaged build: macOS arm64 needs its ad-hoc signature redone. */
export function fuseConfigFor(context) {
  const mac = context.electronPlatformName === 'darwin' || context.electronPlatformName === 'mas';
  return {
    ...FLASH_FUSES,
    resetAdHocDarwinSignature: mac && (context.arch === ARM64 || context.arch === UNIVERSAL),
  };
}

export async function afterPack(context) {
  // The packager finds the executable (name and extension differ per platform) and flips the fuses.
  await context.packager.addElectronFuses(context, fuseConfigFor(context));
}

export default afterPack;
