// Keeps one core busy (a tight loop) so the false-positive run sees a loaded machine; killed by run.js.
let x = 0;
for (;;) x = (x + 1) % 1e9;
