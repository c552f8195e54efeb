// Reads valgrind memcheck's XML report and decides pass/fail (pure logic; unit-tested in tests/tooling/hardening/valgrind-check.test.ts).
// Fails on: any invalid read/write/free anywhere in the process (a wild access in Node would be just as fatal),
// uninitialised-value use and syscall-parameter errors with a frame in the addon, and "definitely lost" blocks
// with a frame in the addon. Definitely-lost blocks without an addon frame are Node's own: listed, not failed.
'use strict';

const ALWAYS_FATAL = new Set([
  'InvalidRead',
  'InvalidWrite',
  'InvalidFree',
  'MismatchedFree',
  'InvalidMemPool',
  'Overlap',
  'ClientCheck',
]);
const FATAL_IN_ADDON = new Set([
  'UninitCondition',
  'UninitValue',
  'SyscallParam',
  'InvalidJump',
  'Leak_DefinitelyLost',
]);

function decode(s) {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

function tag(block, name) {
  const m = block.match(new RegExp(`<${name}>([\\s\\S]*?)</${name}>`));
  return m ? decode(m[1].trim()) : undefined;
}

/** Parses the <error> elements of a memcheck XML report. */
function parseValgrindXml(xml) {
  const errors = [];
  for (const m of xml.matchAll(/<error>([\s\S]*?)<\/error>/g)) {
    const block = m[1];
    const stackXml = block.match(/<stack>([\s\S]*?)<\/stack>/);
    const frames = stackXml
      ? [...stackXml[1].matchAll(/<frame>([\s\S]*?)<\/frame>/g)].map((f) => ({
          fn: tag(f[1], 'fn'),
          obj: tag(f[1], 'obj'),
          file: tag(f[1], 'file'),
          line: tag(f[1], 'line'),
        }))
      : [];
    errors.push({
      kind: tag(block, 'kind'),
      what: tag(block, 'what') ?? tag(block, 'text') ?? '',
      bytes: Number(tag(block, 'leakedbytes') ?? 0),
      blocks: Number(tag(block, 'leakedblocks') ?? 0),
      frames,
    });
  }
  const suppressed = [...xml.matchAll(/<pair>\s*<count>(\d+)<\/count>\s*<name>([^<]*)<\/name>\s*<\/pair>/g)].map(
    (m) => ({ count: Number(m[1]), name: decode(m[2]) }),
  );
  return { errors, suppressed, complete: /<\/valgrindoutput>/.test(xml) };
}

/**
 * Verdict on a parsed report. `addonPattern` matches the object path of the addon's frames (default: leakproof.node).
 * Returns { ok, failures: [{kind, what, frames}], notes: [...] }.
 */
function judge(report, addonPattern = /leakproof\.node$/) {
  const failures = [];
  const notes = [];
  if (!report.complete)
    failures.push({
      kind: 'IncompleteReport',
      what: 'the XML report is cut short: valgrind or the process died',
      frames: [],
    });
  for (const e of report.errors) {
    const inAddon = e.frames.some((f) => f.obj && addonPattern.test(f.obj));
    if (ALWAYS_FATAL.has(e.kind) || (FATAL_IN_ADDON.has(e.kind) && inAddon)) failures.push(e);
    else notes.push(e);
  }
  return { ok: failures.length === 0, failures, notes };
}

function formatError(e, maxFrames = 12) {
  const lines = [`${e.kind}: ${e.what}`];
  for (const f of e.frames.slice(0, maxFrames))
    lines.push(`    at ${f.fn ?? '???'} (${f.file ? `${f.file}:${f.line}` : (f.obj ?? '?')})`);
  return lines.join('\n');
}

module.exports = { parseValgrindXml, judge, formatError };
