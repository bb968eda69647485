import type { FuseConfig } from '@electron/fuses';

export interface PackContext {
  electronPlatformName: string;
  arch: number;
  appOutDir: string;
  packager: { addElectronFuses(context: PackContext, fuses: FuseConfig): Promise<unknown> };
}

export const FLASH_FUSES: FuseConfig;
export function fuseConfigFor(context: Pick<PackContext, 'electronPlatformName' | 'arch'>): FuseConfig;
export function afterPack(context: PackContext): Promise<void>;
export default afterPack;
