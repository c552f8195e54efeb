// Byte and count amounts for failure messages: the kernel's one formatter (src/kernel/formatAmount.ts), re-exported
// here for code that imports it from this path.
export { formatAmount, formatBytes } from '../src/kernel/formatAmount';
