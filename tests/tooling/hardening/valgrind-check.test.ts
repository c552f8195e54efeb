// The valgrind report checker (tests/valgrind/check.js): which memcheck findings fail `npm run test:valgrind`.
// Fed with small XML reports in memcheck's format (protocol 4), so every rule is seen to both pass and fail.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parseValgrindXml, judge } = require('../../valgrind/check.js') as {
  parseValgrindXml: (xml: string) => {
    errors: { kind: string; bytes: number; frames: { fn?: string; obj?: string }[] }[];
    suppressed: { count: number; name: string }[];
    complete: boolean;
  };
  judge: (r: unknown, addon?: RegExp) => { ok: boolean; failures: { kind: string }[]; notes: { kind: string }[] };
};

const ADDON = '/work/x/native/build/Release/leakproof.node';
const NODE = '/usr/bin/node';

function frame(fn: string, obj: string): string {
  return `<frame><ip>0x1</ip><obj>${obj}</obj><fn>${fn}</fn></frame>`;
}

function error(kind: string, frames: string[], leaked?: number): string {
  const what =
    leaked === undefined
      ? `<what>${kind} of size 4</what>`
      : `<xwhat><text>${leaked} bytes in 1 blocks are definitely lost</text><leakedbytes>${leaked}</leakedbytes><leakedblocks>1</leakedblocks></xwhat>`;
  return `<error><unique>0x1</unique><tid>1</tid><kind>${kind}</kind>${what}<stack>${frames.join('')}</stack></error>`;
}

function report(errors: string[], { complete = true, suppressed = '' } = {}): string {
  return (
    `<?xml version="1.0"?><valgrindoutput><protocolversion>4</protocolversion>${errors.join('')}` +
    `<suppcounts>${suppressed}</suppcounts>${complete ? '</valgrindoutput>' : ''}`
  );
}

const verdict = (xml: string) => judge(parseValgrindXml(xml));

describe('valgrind report checker', () => {
  test('a clean, complete report passes', () => {
    expect(verdict(report([])).ok).toBe(true);
  });

  test('a report cut short (process or valgrind died) fails', () => {
    const v = verdict(report([], { complete: false }));
    expect(v.ok).toBe(false);
    expect(v.failures[0].kind).toBe('IncompleteReport');
  });

  test.each(['InvalidRead', 'InvalidWrite', 'InvalidFree', 'MismatchedFree'])(
    '%s fails wherever it happens',
    (kind) => {
      expect(verdict(report([error(kind, [frame('leakproof::gpr::Decode', ADDON)])])).ok).toBe(false);
      expect(verdict(report([error(kind, [frame('v8::internal::Heap::Scavenge', NODE)])])).ok).toBe(false);
    },
  );

  test('a definitely-lost block with a frame in the addon fails, with its size', () => {
    const xml = report([
      error(
        'Leak_DefinitelyLost',
        [
          frame('malloc', '/usr/libexec/valgrind/vgpreload_memcheck.so'),
          frame('leakproof::gpr::Open', ADDON),
          frame('node::Start', NODE),
        ],
        4096,
      ),
    ]);
    const parsed = parseValgrindXml(xml);
    expect(parsed.errors[0].bytes).toBe(4096);
    const v = judge(parsed);
    expect(v.ok).toBe(false);
    expect(v.failures[0].kind).toBe('Leak_DefinitelyLost');
  });

  test("a definitely-lost block only in Node's own frames is noted, not failed", () => {
    const v = verdict(
      report([
        error('Leak_DefinitelyLost', [frame('malloc', 'x.so'), frame('node::InitializeOncePerProcess', NODE)], 64),
      ]),
    );
    expect(v.ok).toBe(true);
    expect(v.notes).toHaveLength(1);
  });

  test('uninitialised-value use fails in the addon and is only noted elsewhere', () => {
    expect(verdict(report([error('UninitCondition', [frame('leakproof::gpr::Band', ADDON)])])).ok).toBe(false);
    expect(verdict(report([error('UninitCondition', [frame('v8::internal::Foo', NODE)])])).ok).toBe(true);
  });

  test('the addon pattern decides attribution (the test addon can be checked the same way)', () => {
    const xml = report([error('Leak_DefinitelyLost', [frame('LeakNative', '/x/leakproof_testing.node')], 8)]);
    expect(judge(parseValgrindXml(xml)).ok).toBe(true);
    expect(judge(parseValgrindXml(xml), /leakproof_testing\.node$/).ok).toBe(false);
  });

  test('suppression counts and escaped names are read', () => {
    const r = parseValgrindXml(
      report([], { suppressed: '<pair><count>3</count><name>node-&lt;init&gt;</name></pair>' }),
    );
    expect(r.suppressed).toEqual([{ count: 3, name: 'node-<init>' }]);
  });
});
