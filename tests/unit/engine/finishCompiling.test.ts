// finishCompiling: waits for V8's background compiles through a natives-syntax function made once, and leaves
// --allow-natives-syntax off again for every other compile.
import { compileWaitAvailable, finishCompiling } from '../../../src/engine/finishCompiling';

describe('finishCompiling', () => {
  it('is available on this Node and can be called repeatedly', () => {
    expect(compileWaitAvailable()).toBe(true);
    expect(() => {
      for (let i = 0; i < 3; i++) finishCompiling();
    }).not.toThrow();
  });

  it('switches natives syntax off again after making its function', () => {
    finishCompiling();
    expect(() => new Function('%FinalizeOptimization();')).toThrow(SyntaxError);
  });
});
