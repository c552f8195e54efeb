// Names native return addresses: object and nearest symbol in-process, file:line from debug info via llvm-symbolizer/addr2line.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tryLoadNative } from '../native';

/** What named a frame: a debug-info tool (file:line known) or only the symbol tables (nearest symbol, no line). */
export type Symbolizer = 'llvm-symbolizer' | 'addr2line' | 'symbols';

/** One source-level frame of a return address (an address of inlined code yields several, innermost first). */
export interface NativeFrame {
  functionName: string;
  /** Source file (relative to the working directory when inside it) and 1-based line, or '' and 0 when unknown. */
  file: string;
  line: number;
  /** Loaded object path, its base name, and the call's offset in it (hex). */
  object: string;
  objectName: string;
  offset: string;
  symbolizedBy: Symbolizer;
}

interface DlInfo {
  object: string;
  objectBase: number;
  /** The main executable (dladdr names it by argv[0]). */
  main?: boolean;
  symbol?: string;
  symbolAddress?: number;
}

interface SymbolAddon {
  nativeSymbolize(addresses: Float64Array): (DlInfo | null)[];
  nativeDemangle(names: string[]): (string | null)[];
}

/** Bound on the external tool: a huge or broken object must not stall a test. */
const TOOL_TIMEOUT_MS = 15_000;

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const full = path.join(dir, name);
    try {
      fs.accessSync(full, fs.constants.X_OK);
      return full;
    } catch {
      // not here
    }
  }
  return undefined;
}

let tool: { kind: Symbolizer; path: string } | null | undefined;
/**
 * llvm-symbolizer, else addr2line, else none. LEAKPROOF_SYMBOLIZER picks one: 'llvm-symbolizer' or 'addr2line' (from
 * PATH), or 'none' (the symbol tables only).
 */
function findTool(): { kind: Symbolizer; path: string } | null {
  const forced = process.env.LEAKPROOF_SYMBOLIZER;
  if (forced === 'none') return null;
  if (forced === 'llvm-symbolizer' || forced === 'addr2line') {
    const found = onPath(forced);
    return found ? { kind: forced, path: found } : null;
  }
  if (tool !== undefined) return tool;
  const llvm = onPath('llvm-symbolizer');
  const a2l = onPath('addr2line');
  tool = llvm ? { kind: 'llvm-symbolizer', path: llvm } : a2l ? { kind: 'addr2line', path: a2l } : null;
  return tool;
}

/** "KeepForever(unsigned long) [clone .isra.0]" and "(.isra.0)" -> "KeepForever(unsigned long)". */
function cleanName(name: string): string {
  return name
    .replace(/\s*\[clone [^\]]*\]/g, '')
    .replace(/\s*\(\.(?:isra|constprop|part|cold|lto_priv)[.\d]*\)/g, '')
    .trim();
}

function relative(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

type Located = { functionName: string; file: string; line: number }[];

/** llvm-symbolizer's JSON: one object per address, `Symbol` innermost inlined frame first. */
function runLlvm(bin: string, object: string, offsets: number[]): Located[] | undefined {
  const r = spawnSync(
    bin,
    [
      `--obj=${object}`,
      '--inlining',
      '--demangle',
      '--output-style=JSON',
      ...offsets.map((o) => `0x${o.toString(16)}`),
    ],
    {
      encoding: 'utf8',
      timeout: TOOL_TIMEOUT_MS,
      maxBuffer: 64 << 20,
    },
  );
  if (r.status !== 0 || !r.stdout) return undefined;
  try {
    const parsed = JSON.parse(r.stdout) as { Symbol?: { FunctionName?: string; FileName?: string; Line?: number }[] }[];
    if (!Array.isArray(parsed) || parsed.length !== offsets.length) return undefined;
    return parsed.map((e) =>
      (e.Symbol ?? []).map((s) => ({
        functionName: cleanName(s.FunctionName ?? ''),
        file: s.FileName ?? '',
        line: s.FileName ? (s.Line ?? 0) : 0,
      })),
    );
  } catch {
    return undefined;
  }
}

/** addr2line -a -f -C -i: per address its "0x…" line, then function and file:line pairs, innermost first. */
function runAddr2line(bin: string, object: string, offsets: number[]): Located[] | undefined {
  const r = spawnSync(bin, ['-a', '-f', '-C', '-i', '-e', object, ...offsets.map((o) => `0x${o.toString(16)}`)], {
    encoding: 'utf8',
    timeout: TOOL_TIMEOUT_MS,
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0 || !r.stdout) return undefined;
  const out: Located[] = [];
  const lines = r.stdout.split('\n');
  for (let i = 0; i < lines.length;) {
    if (!/^0x[0-9a-f]+$/i.test(lines[i])) {
      i++;
      continue;
    }
    const frames: Located = [];
    i++;
    while (i + 1 < lines.length && !/^0x[0-9a-f]+$/i.test(lines[i])) {
      const fn = lines[i] === '??' ? '' : cleanName(lines[i]);
      const m = /^(.*):(\d+)(?: \(discriminator \d+\))?$/.exec(lines[i + 1]);
      const file = m && m[1] !== '??' ? m[1] : '';
      frames.push({ functionName: fn, file, line: file && m ? Number(m[2]) : 0 });
      i += 2;
    }
    out.push(frames);
  }
  return out.length === offsets.length ? out : undefined;
}

/** The object's own symbol table (.symtab, else what dladdr saw in .dynsym): function symbols sorted by address. */
function readFunctionSymbols(object: string): { start: number; size: number; name: string }[] {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(object);
  } catch {
    return [];
  }
  // ELF64 little-endian only (the tracker's platforms: x86-64 and AArch64 Linux).
  if (buf.length < 64 || buf.readUInt32BE(0) !== 0x7f454c46 || buf[4] !== 2 || buf[5] !== 1) return [];
  const shoff = Number(buf.readBigUInt64LE(0x28));
  const shentsize = buf.readUInt16LE(0x3a);
  const shnum = buf.readUInt16LE(0x3c);
  if (shentsize < 64 || shoff + shnum * shentsize > buf.length) return [];
  const section = (i: number) => {
    const at = shoff + i * shentsize;
    return {
      type: buf.readUInt32LE(at + 4),
      offset: Number(buf.readBigUInt64LE(at + 0x18)),
      size: Number(buf.readBigUInt64LE(at + 0x20)),
      link: buf.readUInt32LE(at + 0x28),
    };
  };
  const syms: { start: number; size: number; name: string }[] = [];
  for (const wanted of [2 /* SHT_SYMTAB */, 11 /* SHT_DYNSYM */]) {
    for (let i = 0; i < shnum; i++) {
      const s = section(i);
      if (s.type !== wanted || s.link >= shnum) continue;
      const str = section(s.link);
      if (s.offset + s.size > buf.length || str.offset + str.size > buf.length) continue;
      for (let at = s.offset; at + 24 <= s.offset + s.size; at += 24) {
        const info = buf[at + 4];
        const value = Number(buf.readBigUInt64LE(at + 8));
        if ((info & 0xf) !== 2 /* STT_FUNC */ || value === 0) continue;
        const nameAt = str.offset + buf.readUInt32LE(at);
        const end = buf.indexOf(0, nameAt);
        if (nameAt >= str.offset + str.size || end < 0) continue;
        syms.push({
          start: value,
          size: Number(buf.readBigUInt64LE(at + 16)),
          name: buf.toString('latin1', nameAt, end),
        });
      }
    }
    if (syms.length > 0) break;
  }
  return syms.sort((a, b) => a.start - b.start);
}

function nearest(syms: { start: number; size: number; name: string }[], offset: number): string | undefined {
  let lo = 0;
  let hi = syms.length - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (syms[mid].start <= offset) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best >= 0 ? syms[best].name : undefined;
}

/**
 * Frames for each return address: the loaded object and offset from dladdr; function, file and line from
 * llvm-symbolizer or addr2line when present (looked up at the call instruction, the return address minus one), else the
 * nearest function symbol of the object's symbol tables, demangled. Addresses no loaded object holds get no frame;
 * objects `isRuntimeObject` names are not looked into.
 */
export function symbolizeAddresses(
  addresses: number[],
  isRuntimeObject: (object: string) => boolean = () => false,
): { frames: Map<number, NativeFrame[]>; symbolizer: Symbolizer } {
  const frames = new Map<number, NativeFrame[]>();
  const addon = tryLoadNative() as unknown as Partial<SymbolAddon> | undefined;
  if (!addon?.nativeSymbolize || addresses.length === 0) return { frames, symbolizer: findTool()?.kind ?? 'symbols' };
  const infos = addon.nativeSymbolize(new Float64Array(addresses));
  const byObject = new Map<string, { address: number; offset: number; dl: DlInfo }[]>();
  addresses.forEach((address, i) => {
    const dl = infos[i];
    if (!dl || (!dl.object && !dl.main)) return;
    const object = dl.main ? process.execPath : dl.object;
    const list = byObject.get(object) ?? [];
    list.push({ address, offset: Math.max(0, address - dl.objectBase - 1), dl });
    byObject.set(object, list);
  });
  const t = findTool();
  let used: Symbolizer = 'symbols';
  const pending: { address: number; name: string; object: string; offset: number }[] = [];
  for (const [object, list] of byObject) {
    if (isRuntimeObject(object)) {
      // Never a site (Node, the C/C++ runtimes): named by object only, without reading its (large) symbol tables.
      for (const e of list) {
        const offset = `0x${e.offset.toString(16)}`;
        frames.set(e.address, [
          {
            functionName: e.dl.symbol ?? '(runtime)',
            file: '',
            line: 0,
            object,
            objectName: path.basename(object),
            offset,
            symbolizedBy: 'symbols',
          },
        ]);
      }
      continue;
    }
    const offsets = list.map((e) => e.offset);
    let located: Located[] | undefined;
    if (t && fs.existsSync(object))
      located = t.kind === 'llvm-symbolizer' ? runLlvm(t.path, object, offsets) : runAddr2line(t.path, object, offsets);
    const syms = located ? [] : readFunctionSymbols(object);
    list.forEach((e, i) => {
      const base = { object, objectName: path.basename(object), offset: `0x${e.offset.toString(16)}` };
      const loc = located?.[i]?.filter((f) => f.functionName || f.file);
      if (loc && loc.length > 0) {
        if (loc.some((f) => f.line > 0)) used = t!.kind;
        frames.set(
          e.address,
          loc.map((f) => ({
            ...base,
            functionName: f.functionName || '(unknown)',
            file: f.line > 0 ? relative(f.file) : '',
            line: f.line,
            symbolizedBy: f.line > 0 ? t!.kind : 'symbols',
          })),
        );
      } else {
        const name = nearest(syms, e.offset) ?? e.dl.symbol ?? '';
        pending.push({ address: e.address, name, ...base, offset: e.offset });
      }
    });
  }
  if (pending.length > 0) {
    const demangled = addon.nativeDemangle
      ? addon.nativeDemangle(pending.map((p) => p.name))
      : pending.map((p) => p.name);
    pending.forEach((p, i) => {
      frames.set(p.address, [
        {
          functionName: cleanName(demangled[i] ?? p.name) || '(unknown)',
          file: '',
          line: 0,
          object: p.object,
          objectName: path.basename(p.object),
          offset: `0x${p.offset.toString(16)}`,
          symbolizedBy: 'symbols',
        },
      ]);
    });
  }
  return { frames, symbolizer: used };
}
