// leakproof/gpr: the public face of the bundled GPR codec. Re-exports only.
export { GprError, GPR_ERROR_CODES } from './GprError';
export type { GprErrorCode } from './GprError';
export { GprImage } from './GprImage';
export type {
  CfaPattern,
  DecodeRawOptions,
  DecodeRgbOptions,
  GprInfo,
  GprMetadata,
  GprTiffEntry,
  GprRawImage,
  GprRgbImage,
  GprVc5Info,
} from './GprImage';
export { encodeGpr, encodeGprAsync, encodeVc5 } from './encodeGpr';
export type { EncodeGprOptions, EncodeQuality } from './encodeGpr';
export { convert } from './convert';
export type { ConvertOptions, ConvertTarget, RawInputDescription } from './convert';
export { detectFormat } from './detectFormat';
export type { DetectedFormat } from './detectFormat';
