// GprError: the one error class of leakproof/gpr, with a stable string code.
import { LeakproofError } from '../errors';

/** Stable error codes; users' code switches on these. */
export type GprErrorCode =
  | 'GPR_E_FORMAT'
  | 'GPR_E_TRUNCATED'
  | 'GPR_E_CORRUPT'
  | 'GPR_E_UNSUPPORTED'
  | 'GPR_E_LIMIT'
  | 'GPR_E_IO'
  | 'GPR_E_ARGUMENT'
  | 'GPR_E_CLOSED'
  /** The native addon could not be loaded (no prebuild for this platform and no local build): nothing can decode. */
  | 'GPR_E_ADDON_UNAVAILABLE';

export const GPR_ERROR_CODES: readonly GprErrorCode[] = [
  'GPR_E_FORMAT',
  'GPR_E_TRUNCATED',
  'GPR_E_CORRUPT',
  'GPR_E_UNSUPPORTED',
  'GPR_E_LIMIT',
  'GPR_E_IO',
  'GPR_E_ARGUMENT',
  'GPR_E_CLOSED',
  'GPR_E_ADDON_UNAVAILABLE',
];

/** The LeakproofError of leakproof/gpr (name 'GprError'), with one of the GPR_E_* codes. */
export class GprError extends LeakproofError<GprErrorCode> {
  constructor(code: GprErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'GprError';
  }
}
