import { resolveOptions } from '../../../reporter/options';
import { ReporterError } from '../../../reporter/ReporterError';

describe('resolveOptions', () => {
  it('gives documented defaults', () => {
    expect(resolveOptions(undefined, {})).toEqual({
      outputDir: 'leak-report',
      formats: ['json', 'junit', 'markdown', 'html'],
      baseline: undefined,
      tolerance: 0.25,
      toleranceBytes: 65536,
      failOnRegression: false,
      silent: false,
      verbose: false,
      github: false,
    });
  });
  it('turns GitHub output on under GitHub Actions unless told otherwise', () => {
    expect(resolveOptions({}, { GITHUB_ACTIONS: 'true' }).github).toBe(true);
    expect(resolveOptions({ github: false }, { GITHUB_ACTIONS: 'true' }).github).toBe(false);
  });
  it('deduplicates formats', () => {
    expect(resolveOptions({ formats: ['json', 'json', 'html'] }, {}).formats).toEqual(['json', 'html']);
  });
  it.each([
    [{ formats: ['pdf'] }, 'formats'],
    [{ formats: 'json' }, 'formats'],
    [{ outputDir: '' }, 'outputDir'],
    [{ tolerance: -1 }, 'tolerance'],
    [{ tolerance: '10%' }, 'tolerance'],
    [{ silent: 'yes' }, 'silent'],
    [{ baseline: 3 }, 'baseline'],
    [{ outputFile: 'x.json' }, 'outputFile'],
  ])('rejects %j naming the option', (raw, name) => {
    let err: unknown;
    try {
      resolveOptions(raw, {});
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ReporterError);
    expect((err as ReporterError).code).toBe('ERR_REPORTER_OPTION');
    expect((err as Error).message).toContain(`"${name}"`);
  });
  it('rejects a non-object', () => {
    expect(() => resolveOptions('json', {})).toThrow(/must be an object/);
  });
});
