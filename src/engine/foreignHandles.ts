// Handles opened during a measurement by code outside it (the test's own background work), counted by type.
import { createHook, executionAsyncId, type AsyncHook } from 'node:async_hooks';

/**
 * Async resource types that are handles or open files: sockets, servers, pipes, child processes, watchers, signal
 * listeners, ttys, workers, message ports, `fs.promises` file handles. Timers and Immediates are left out: the test
 * runner's own (a concurrent test's timeout, say) would be reported as the test's work. Requests (a connect, a write, a
 * callback-style fs call) are not handles and are left out too.
 */
const HANDLE_TYPES = new Set([
  'TCPWRAP',
  'TCPSERVERWRAP',
  'PIPEWRAP',
  'PIPESERVERWRAP',
  'UDPWRAP',
  'PROCESSWRAP',
  'FSEVENTWRAP',
  'STATWATCHER',
  'SIGNALWRAP',
  'TTYWRAP',
  'WORKER',
  'MESSAGEPORT',
  'FILEHANDLE',
]);

/** Handles of one type opened from outside the measurement while it ran. */
export interface ForeignHandleCount {
  /** Node's async resource type, e.g. 'TCPWRAP' (a socket), 'FILEHANDLE' (an open file). */
  type: string;
  count: number;
}

/** Resources too frequent (or too short-lived) to remember as parents of a handle. */
const NOT_PARENTS = new Set(['PROMISE', 'TickObject', 'Timeout', 'Immediate', 'Microtask']);

/** How many recent parent ids (requests and handles made inside the measurement) are remembered. */
const RECENT = 512;

/** Long-lived parents (servers) are remembered apart, so a busy fn's requests never push them out. */
const SERVER_TYPES = new Set(['TCPSERVERWRAP', 'PIPESERVERWRAP']);
const SERVERS = 64;

/** A fixed ring of async ids: remembering allocates nothing. */
class IdRing {
  private readonly ids: Float64Array;
  private next = 0;

  constructor(size: number) {
    this.ids = new Float64Array(size).fill(-1);
  }

  add(id: number): void {
    this.ids[this.next] = id;
    this.next = (this.next + 1) % this.ids.length;
  }

  has(id: number): boolean {
    for (let i = 0; i < this.ids.length; i++) if (this.ids[i] === id) return true;
    return false;
  }
}

/**
 * Starts counting handles opened by code that does not run inside the measurement; the returned function stops and
 * gives the counts, largest first (empty: none). A handle counts as the measurement's own when it is created in the
 * measurement's async context (`isInside`), or on behalf of a request or handle that was (a server's connections
 * belong to the server); those parents' ids sit in a fixed ring of the last 512, so watching allocates nothing per
 * call of fn. A handle created with no context at all (a `fs.promises` file handle is made in C++ when its open
 * completes, with no trigger) cannot be attributed and is not counted: only what is known to come from outside is.
 *
 * An init-only hook: it costs a call per async resource while it runs (a destroy hook would make Node track every
 * promise, which allocates), so it cannot tell whether such a handle was closed again; it says that one was opened.
 */
export function watchForeignHandles(isInside: () => boolean): () => ForeignHandleCount[] {
  const counts = new Map<string, number>();
  const recent = new IdRing(RECENT);
  const servers = new IdRing(SERVERS);
  const remembered = (id: number): boolean => id > 0 && (servers.has(id) || recent.has(id));
  let hook: AsyncHook | undefined = createHook({
    init(asyncId, type, triggerAsyncId) {
      if (NOT_PARENTS.has(type)) return;
      const current = executionAsyncId();
      if (triggerAsyncId === 0 && current === 0) return;
      if (isInside() || remembered(triggerAsyncId) || remembered(current)) {
        (SERVER_TYPES.has(type) ? servers : recent).add(asyncId);
        return;
      }
      if (HANDLE_TYPES.has(type)) counts.set(type, (counts.get(type) ?? 0) + 1);
    },
  });
  hook.enable();
  return () => {
    hook?.disable();
    hook = undefined;
    return [...counts]
      .map(([type, count]) => ({ type, count }))
      .sort((a, b) => b.count - a.count || a.type.localeCompare(b.type));
  };
}

/** "2 TCPWRAP (sockets), 1 FILEHANDLE (open files)". */
export function describeForeignHandles(handles: readonly ForeignHandleCount[]): string {
  const kinds: Record<string, string> = {
    TCPWRAP: 'sockets',
    TCPSERVERWRAP: 'servers',
    PIPEWRAP: 'pipes',
    PIPESERVERWRAP: 'pipe servers',
    UDPWRAP: 'UDP sockets',
    PROCESSWRAP: 'child processes',
    FSEVENTWRAP: 'fs watchers',
    STATWATCHER: 'fs watchers',
    SIGNALWRAP: 'signal listeners',
    TTYWRAP: 'ttys',
    WORKER: 'workers',
    MESSAGEPORT: 'message ports',
    FILEHANDLE: 'open files',
  };
  return handles.map((h) => `${h.count} ${h.type}${kinds[h.type] ? ` (${kinds[h.type]})` : ''}`).join(', ');
}

/** The paragraph a failure message ends with when code outside fn opened handles during the run ('' when none). */
export function foreignHandlesNote(handles: readonly ForeignHandleCount[] | undefined): string {
  if (!handles || handles.length === 0) return '';
  return (
    `\n\nWhile this measured, code outside the function under test opened ${describeForeignHandles(handles)}: ` +
    'work the test runs in the background is measured with fn (its handles and its memory). Stop it before the assertion.'
  );
}
