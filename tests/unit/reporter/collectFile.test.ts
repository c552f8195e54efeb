import { cleanFailureMessage, collectFile, recordsOf } from '../../../reporter/collectFile';
import { metric, record } from '../../helpers/syntheticRecords';

describe('collectFile', () => {
  const base = { testFilePath: '/p/t/a.test.js', numFailingTests: 0, testResults: [] };

  it('classifies passed, failed and crashed files', () => {
    expect(collectFile('/p', base, []).status).toBe('passed');
    expect(collectFile('/p', { ...base, numFailingTests: 2 }, []).status).toBe('failed');
    const crashed = collectFile(
      '/p',
      {
        ...base,
        testExecError: {
          message: '\n\n  \u001b[1m● Test suite failed to run\u001b[22m\n\n    boom\n\n      at x (a.js:1:1)\n',
        },
      },
      [],
    );
    expect(crashed).toEqual({
      path: 't/a.test.js',
      status: 'crashed',
      failureMessage: 'boom\n\n  at x (a.js:1:1)',
      records: [],
    });
  });

  it('says the file failed to run when Jest gave no message', () => {
    expect(collectFile('/p', { ...base, testExecError: { message: '' } }, []).failureMessage).toBe(
      'the test file failed to run',
    );
  });

  it('cleans Jest-formatted messages', () => {
    expect(cleanFailureMessage('  \u001b[31mplain\u001b[39m')).toBe('plain');
  });
});

describe('recordsOf', () => {
  const r = record('t', [metric('heap', 1)]);
  const base = { testFilePath: '/p/a.test.js', numFailingTests: 0 };
  it('prefers the runner field, then per-assertion fields, then the fallback', () => {
    expect(recordsOf({ ...base, testResults: [], leakRecords: [r] }, () => [])).toEqual([r]);
    expect(recordsOf({ ...base, testResults: [{ fullName: 't', status: 'passed', leak: [r] }] }, () => [])).toEqual([
      r,
    ]);
    expect(recordsOf({ ...base, testResults: [{ fullName: 't', status: 'passed' }] }, () => [r, r])).toEqual([r, r]);
  });
});
