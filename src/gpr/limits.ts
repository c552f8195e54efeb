// The codec's documented limits as the addon exports them (native/gpr/gpr_limits.h -> exports.gprLimits): read from the
// addon on first use, never copied into TS and never read at module load.
import { BUILD_NATIVE_HINT } from '../native';
import { GprError } from './GprError';
import { gprAddon } from './gprAddon';

/** The limits of native/gpr/gpr_limits.h, one field per constant (a frozen object made by the addon). */
export interface GprLimits {
  /** Smallest image side (the 3-level wavelet needs channels >= 21). */
  readonly minImageDimension: number;
  readonly maxImageWidth: number;
  readonly maxImageHeight: number;
  readonly maxImagePixels: number;
  readonly maxVc5PayloadBytes: number;
  /** Largest GPR/DNG input the container parser accepts (and open() reads from a file). */
  readonly maxInputBytes: number;
  readonly maxMetadataBlockBytes: number;
  readonly maxIfdEntries: number;
  readonly maxIfdCount: number;
  /** Most threads a decode (and the TS checks of encode and convert) accept. */
  readonly maxDecodeThreads: number;
}

let cached: GprLimits | undefined;

/**
 * The codec's limits. Loads the addon on first use, so without it this throws the same GprError
 * GPR_E_ADDON_UNAVAILABLE every other codec call throws; an addon too old to export them is reported the same way.
 */
export function gprLimits(): GprLimits {
  if (cached) return cached;
  const limits = (gprAddon() as unknown as { gprLimits?: GprLimits }).gprLimits;
  if (typeof limits !== 'object' || limits === null || typeof limits.maxInputBytes !== 'number') {
    throw new GprError(
      'GPR_E_ADDON_UNAVAILABLE',
      `leakproof/gpr: the loaded native addon is older than this package (it does not export gprLimits); ${BUILD_NATIVE_HINT}.`,
    );
  }
  cached = limits;
  return cached;
}
