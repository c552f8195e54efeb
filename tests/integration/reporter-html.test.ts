// The HTML report in a real browser: Debian's headless Chromium driven by playwright-core opens the report of a real
// fixture run (offline, file://) and must draw a chart per measured series with no console error; a screenshot is kept.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import type { LeakReport } from '../../reporter/LeakReport';
import { assertBuilt, readJsonReport, runFixture, type FixtureRun } from '../helpers/reporterFixture';

const CHROMIUM = process.env.LEAKPROOF_CHROMIUM ?? '/usr/bin/chromium';
const artifacts = path.join(__dirname, 'artifacts');
const work = path.join(artifacts, 'reporter-html');
const haveChromium = fs.existsSync(CHROMIUM);
if (!haveChromium) {
  if (process.env.CI === 'true')
    throw new Error(
      `reporter-html: Chromium not found at ${CHROMIUM} (set LEAKPROOF_CHROMIUM); CI must run the browser test`,
    );
  console.warn(`reporter-html: skipped, no Chromium at ${CHROMIUM} (set LEAKPROOF_CHROMIUM)`);
}
const maybe = haveChromium ? describe : describe.skip;

// The few DOM shapes used inside page functions (the project compiles without the DOM lib).
interface CanvasLike {
  width: number;
  height: number;
  getContext(
    kind: '2d',
  ): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null;
}
interface XmlElementLike {
  textContent: string | null;
  parentElement: { getAttribute(name: string): string | null } | null;
}
interface XmlDocLike {
  getElementsByTagName(name: string): ArrayLike<XmlElementLike>;
}

maybe('the HTML report in headless Chromium', () => {
  let browser: Browser;
  let run: FixtureRun;
  let report: LeakReport;

  beforeAll(async () => {
    assertBuilt();
    fs.rmSync(work, { recursive: true, force: true });
    fs.mkdirSync(work, { recursive: true });
    run = await runFixture('reporter-leaky', ['--runInBand'], work, 'run');
    report = readJsonReport(path.join(run.out, 'leak-report.json'));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('renders one chart per measured series, without console errors or network requests', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) requests.push(r.url());
    });
    await page.goto(`file://${path.join(run.out, 'leak-report.html')}`);
    await page.waitForSelector('body[data-charts-rendered]', { timeout: 15000 });

    const series = report.files.flatMap((f) => f.records.flatMap((r) => r.metrics.map((m) => m.metric)));
    expect(series.length).toBeGreaterThanOrEqual(5);
    expect(await page.getAttribute('body', 'data-charts-rendered')).toBe(String(series.length));
    // Each chart container got a uPlot instance with a drawn canvas of real size.
    const plots = await page.$$eval('.plot', (els) =>
      els.map((el) => {
        const canvas = el.querySelector('canvas');
        return {
          metric: el.getAttribute('data-metric'),
          rendered: el.getAttribute('data-rendered'),
          w: canvas?.width ?? 0,
          h: canvas?.height ?? 0,
        };
      }),
    );
    expect(plots.map((p) => p.metric)).toEqual(series);
    for (const p of plots) {
      expect(p.rendered).toBe('true');
      expect(p.w).toBeGreaterThan(100);
      expect(p.h).toBeGreaterThan(100);
    }
    expect(await page.locator('canvas').count()).toBe(series.length);

    // The leaking heap chart really has ink: some pixels of the samples' red stroke are on the canvas.
    const records = report.files.flatMap((f) => f.records);
    const leaking = records.findIndex((r) => r.testName === 'keeps every parsed object');
    const heapIndex = records[leaking].metrics.findIndex((m) => m.metric === 'heap');
    const redPixels = await page.$eval(`#a${leaking}-m${heapIndex} canvas`, (c) => {
      const canvas = c as unknown as CanvasLike;
      const d = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] > 150 && d[i + 1] < 90 && d[i + 2] < 90 && d[i + 3] > 0) n++;
      return n;
    });
    expect(redPixels).toBeGreaterThan(0);

    // The tables are there too.
    const text = await page.textContent('body');
    expect(text).toContain('5 assertions · 3 leaking · 2 failed · 1 test file(s) failed to run in 3 file(s)');
    expect(text).toContain('keeps every parsed object');

    fs.mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: path.join(artifacts, 'reporter-html.png'), fullPage: true });
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });

  it('the JUnit XML parses in the browser (a real XML parser)', async () => {
    const page = await browser.newPage();
    const xml = fs.readFileSync(path.join(run.out, 'leak-report.junit.xml'), 'utf8');
    const parsed = await page.evaluate((src) => {
      const Parser = (
        globalThis as unknown as { DOMParser: new () => { parseFromString(s: string, type: string): XmlDocLike } }
      ).DOMParser;
      const doc = new Parser().parseFromString(src, 'application/xml');
      const errors = doc.getElementsByTagName('parsererror');
      return {
        error: errors.length > 0 ? errors[0].textContent : null,
        testcases: doc.getElementsByTagName('testcase').length,
        failures: Array.from(doc.getElementsByTagName('failure')).map((f) => f.parentElement!.getAttribute('name')),
      };
    }, xml);
    expect(parsed.error).toBeNull();
    expect(parsed.testcases).toBe(6);
    expect(parsed.failures.sort()).toEqual(['a buffer pool that leaks', 'keeps every parsed object']);
    await page.close();
  });
});
