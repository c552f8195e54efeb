// Amounts for profiler reports: the kernel's one formatter (src/kernel/formatAmount.ts), signed by default because
// every amount in a profiler report is a change.
import { formatAmount as formatKernelAmount } from '../kernel/formatAmount';

/** `+1.5 MiB`, `-512 B`, `+3` (counts), `n/a` for NaN; see src/kernel/formatAmount.ts for the rules. */
export function formatAmount(value: number, unit: 'bytes' | 'count', signed = true): string {
  return formatKernelAmount(value, unit, signed);
}
