// GprImage life cycle under the leak matcher: open/close from a path and from a Buffer, sync and async, `using`,
// rapid create/destroy, and images dropped without close() (the finalizer must free the native decoder).
import { makeFixtures, type Fixtures } from '../support/images';
import { GprImage } from '../support/gpr';

let fx: Fixtures & { cleanup: () => void };

beforeAll(async () => {
  fx = await makeFixtures();
});
afterAll(() => fx?.cleanup());

test('the fixture opens and describes itself', () => {
  const img = GprImage.open(fx.gpr);
  expect([img.width, img.height, img.cfaPattern]).toEqual([256, 192, 'RGGB']);
  img.close();
  expect(img.closed).toBe(true);
});

describe('open + close', () => {
  test('open(Buffer) + close()', async () => {
    await expect(() => {
      const img = GprImage.open(fx.gpr);
      img.close();
    }).not.toLeakMemory();
  });

  test('open(path) + close()', async () => {
    await expect(() => {
      const img = GprImage.open(fx.gprPath);
      img.close();
    }).not.toLeakMemory();
  });

  test('openAsync(Buffer) + close()', async () => {
    await expect(async () => {
      const img = await GprImage.openAsync(fx.gpr);
      img.close();
    }).not.toLeakMemory();
  });

  test('openAsync(path) + close()', async () => {
    await expect(async () => {
      const img = await GprImage.openAsync(fx.gprPath);
      img.close();
    }).not.toLeakMemory();
  });

  test('close() twice is harmless', async () => {
    await expect(() => {
      const img = GprImage.open(fx.gpr);
      img.close();
      img.close();
    }).not.toLeakMemory();
  });
});

describe('scoped disposal', () => {
  test('`using` disposes the image at the end of the block', async () => {
    await expect(() => {
      using img = GprImage.open(fx.gpr);
      return img.info.width;
    }).not.toLeakMemory();
  });

  test('`using` with a decode inside the block', async () => {
    await expect(() => {
      using img = GprImage.open(fx.gpr);
      return img.decodeRgb({ resolution: 8 }).data.length;
    }).not.toLeakMemory();
  });
});

describe('rapid create/destroy', () => {
  test('10 images opened and closed per iteration', async () => {
    await expect(() => {
      for (let i = 0; i < 10; i++) GprImage.open(fx.gpr).close();
    }).not.toLeakMemory({ iterations: 100 });
  });

  test('8 images opened at once, then all closed', async () => {
    await expect(async () => {
      const imgs = await Promise.all(Array.from({ length: 8 }, () => GprImage.openAsync(fx.gpr)));
      for (const img of imgs) img.close();
    }).not.toLeakMemory({ iterations: 100 });
  });
});

describe('images dropped without close(): finalizers free native memory', () => {
  test('open, read info, drop', async () => {
    await expect(() => GprImage.open(fx.gpr).info.width).not.toLeakMemory();
  });

  test('open, decode RAW, drop', async () => {
    await expect(() => {
      GprImage.open(fx.gpr).decodeRaw();
    }).not.toLeakMemory();
  });

  test('openAsync, decode RGB async, drop', async () => {
    await expect(async () => {
      const img = await GprImage.openAsync(fx.gpr);
      await img.decodeRgbAsync({ resolution: 4 });
    }).not.toLeakMemory();
  });
});
