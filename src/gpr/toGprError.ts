// The one mapping from whatever the native codec (or a JS check) threw to a GprError, for decode, encode and convert.
import { GprError, GPR_ERROR_CODES, type GprErrorCode } from './GprError';

/**
 * A GprError stays as it is. An error carrying a known GPR_E_* `code` (the addon's errors) becomes a GprError with that
 * code and message. Anything else (a JS type error raised in the binding for a bad argument) becomes GPR_E_ARGUMENT.
 * The original error is kept in `cause` either way, so no untyped error leaves leakproof/gpr.
 */
export function toGprError(err: unknown): GprError {
  if (err instanceof GprError) return err;
  const e = err as { code?: unknown; message?: unknown } | null | undefined;
  const known = typeof e?.code === 'string' && (GPR_ERROR_CODES as readonly string[]).includes(e.code);
  const code: GprErrorCode = known ? (e!.code as GprErrorCode) : 'GPR_E_ARGUMENT';
  return new GprError(code, typeof e?.message === 'string' ? e.message : String(err), { cause: err });
}
