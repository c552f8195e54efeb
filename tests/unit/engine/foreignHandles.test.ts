// Handles opened by the test's background work while a measurement runs are reported; fn's own are not.
import * as fs from 'node:fs';
import * as net from 'node:net';
import { detectLeak } from '../../../src/engine/detectLeak';
import { describeForeignHandles, foreignHandlesNote } from '../../../src/engine/foreignHandles';

const QUICK = { iterations: 40, warmup: 5, samples: 8, allocationSites: false };

test('a background client connecting to a server during the measurement is reported as foreign sockets', async () => {
  const server = net.createServer((socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  // Started outside the measurement: its callbacks run in this test's context, not the measured fn's.
  const background = setInterval(() => {
    const c = net.connect(port, '127.0.0.1');
    c.on('error', () => undefined);
    c.end();
  }, 5);
  try {
    const d = await detectLeak(() => JSON.parse('[1]'), QUICK);
    const sockets = d.foreignHandles?.find((h) => h.type === 'TCPWRAP');
    expect(sockets?.count).toBeGreaterThan(0);
  } finally {
    clearInterval(background);
    await new Promise((resolve) => server?.close(resolve));
  }
});

test('handles fn opens itself are not foreign, and nothing else ran: no report', async () => {
  // A server of fn's own: the connections it accepts belong to fn too.
  let port = 0;
  let server: net.Server | undefined;
  const d = await detectLeak(
    async () => {
      if (!server) {
        server = net.createServer((socket) => socket.end());
        await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
        port = (server.address() as net.AddressInfo).port;
      }
      const fh = await fs.promises.open(__filename, 'r');
      await fh.close();
      await new Promise<void>((resolve) => {
        const c = net.connect(port, '127.0.0.1');
        c.on('error', () => resolve());
        c.on('close', () => resolve());
        c.end();
      });
    },
    { ...QUICK, iterations: 150 },
  ); // ~6 requests and handles a call: far more than the ring of recent parents holds
  await new Promise((resolve) => server?.close(resolve));
  expect(d.error).toBeUndefined();
  expect(d.foreignHandles).toBeUndefined();
});

test('the note names counts and kinds, and is empty without foreign handles', () => {
  expect(
    describeForeignHandles([
      { type: 'TCPWRAP', count: 3 },
      { type: 'FILEHANDLE', count: 1 },
    ]),
  ).toBe('3 TCPWRAP (sockets), 1 FILEHANDLE (open files)');
  expect(foreignHandlesNote(undefined)).toBe('');
  expect(foreignHandlesNote([])).toBe('');
  expect(foreignHandlesNote([{ type: 'PROCESSWRAP', count: 1 }])).toMatch(
    /^\n\nWhile this measured, code outside the function under test opened 1 PROCESSWRAP \(child processes\): /,
  );
});
