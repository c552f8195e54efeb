// finishCompiling: waits for V8's background compiles through a natives-syntax function made once, and leaves
// --allow-natives-syntax off again for every other compile.
import * as v8 from 'node:v8';
import { compileWaitAvailable, finishCompiling } from '../../../src/engine/finishCompiling';

describe('finishCompiling', () => {
  it('is available on this Node and can be called repeatedly', () => {
    expect(compileWaitAvailable()).toBe(true);
    expect(() => {
      for (let i = 0; i < 3; i++) finishCompiling();
    }).not.toThrow();
  });

  it('still works after V8 flushed its bytecode (recompiled under the flag, then the flag is off again)', () => {
    finishCompiling();
    // Make V8 flush every bytecode array at the next collections, as it does to functions left unused for a while.
    v8.setFlagsFromString('--stress-flush-code');
    try {
      for (let i = 0; i < 4; i++) globalThis.gc!();
    } finally {
      v8.setFlagsFromString('--no-stress-flush-code');
    }
    expect(() => finishCompiling()).not.toThrow();
    expect(compileWaitAvailable()).toBe(true);
    expect(() => new Function(`%FinalizeOptimization(); // ${process.pid}-${Date.now()}-flushed`)).toThrow(SyntaxError);
  });

  it('switches natives syntax off again after making its function', () => {
    finishCompiling();
    // A source of its own: V8's compilation cache would hand back finishCompiling's function for the same text.
    expect(() => new Function(`%FinalizeOptimization(); // ${process.pid}-${Date.now()}`)).toThrow(SyntaxError);
  });
});
