// The addon as leakproof/gpr sees it: loaded through src/native, or a typed GprError when it is missing.
import { BUILD_NATIVE_HINT, tryLoadNative, nativeUnavailableReason, type NativeAddon } from '../native';
import { GprError } from './GprError';

/** The loaded addon; throws GprError GPR_E_ADDON_UNAVAILABLE saying why and how to fix it. */
export function gprAddon(): NativeAddon {
  const addon = tryLoadNative();
  if (addon) return addon;
  throw new GprError('GPR_E_ADDON_UNAVAILABLE', `leakproof/gpr: ${nativeUnavailableReason()}; ${BUILD_NATIVE_HINT}.`);
}
