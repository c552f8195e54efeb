// The record's test name for a Vitest task: describe blocks and test joined by spaces, as Jest's full name is.

/** The slice of a Vitest task (test or suite) the name needs; structural, so no Vitest import at run time. */
export interface VitestTaskNode {
  name: string;
  /** The enclosing suite; the file itself is a suite with a `filepath`, and it is not part of the name. */
  suite?: VitestTaskNode & { filepath?: string };
}

/**
 * `describe('a') > describe('b') > test('c')` gives 'a b c', the name Jest records for the same code, so a suite's
 * records (and a baseline saved from them) read the same under both runners.
 */
export function jestStyleName(task: VitestTaskNode): string {
  const names = [task.name];
  for (let s = task.suite; s && s.filepath === undefined; s = s.suite) names.unshift(s.name);
  return names.filter((n) => n !== '').join(' ');
}
