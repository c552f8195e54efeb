// @profileMemory(): a method decorator that profiles every call of the method with memoryProfile.
import { memoryProfile, MEMORY_PROFILE_OPTION_KEYS, type MemoryProfileOptions } from './memoryProfile';
import { checkOptions, invalid } from './validate';

type Method = (this: unknown, ...args: unknown[]) => unknown;

/**
 * Works as a legacy TypeScript decorator (`experimentalDecorators`: target, key, descriptor) and as a standard
 * (TC39, TypeScript ≥ 5) method decorator (method, context). The default label is `Class.method`.
 */
export function profileMemory(options?: MemoryProfileOptions) {
  checkOptions('profileMemory', options, MEMORY_PROFILE_OPTION_KEYS);
  function decorator(target: object, key: string | symbol, descriptor: PropertyDescriptor): PropertyDescriptor;
  function decorator<M extends Method>(method: M, context: ClassMethodDecoratorContext): M;
  function decorator(a: unknown, b: unknown, c?: unknown): unknown {
    if (typeof a === 'function' && typeof b === 'object' && b !== null && (b as { kind?: unknown }).kind === 'method') {
      const name = String((b as ClassMethodDecoratorContext).name);
      return memoryProfile(a as Method, { label: name, ...options });
    }
    const descriptor = c as PropertyDescriptor | undefined;
    if (!descriptor || typeof descriptor.value !== 'function') {
      invalid('@profileMemory', String(b), 'a method (the decorator applies to methods only)', descriptor?.value);
    }
    const owner = typeof a === 'function' ? a.name : (a as { constructor?: { name?: string } }).constructor?.name;
    const label = `${owner ? `${owner}.` : ''}${String(b)}`;
    descriptor.value = memoryProfile(descriptor.value as Method, { label, ...options });
    return descriptor;
  }
  return decorator;
}
