// Finds the line and column of the assertion in the test file from a stack captured when the matcher was called.

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** 1-based position of the first stack frame inside `testPath`, or undefined when none is there. */
export function callSite(
  stack: string | undefined,
  testPath: string | undefined,
): { line: number; column: number } | undefined {
  if (!stack || !testPath) return undefined;
  const frame = new RegExp(`${escapeRegExp(testPath)}:(\\d+):(\\d+)`);
  for (const line of stack.split('\n')) {
    const m = frame.exec(line);
    if (m) return { line: Number(m[1]), column: Number(m[2]) };
  }
  return undefined;
}
