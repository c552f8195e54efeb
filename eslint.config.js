// Lint configuration: ESLint's recommended rules plus typescript-eslint's, for every TS source.
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');

// Node's CommonJS globals (listed here rather than taken from a transitive dependency).
const nodeGlobals = Object.fromEntries(
  [
    'require', 'module', 'exports', 'process', '__dirname', '__filename', 'console', 'Buffer', 'global', 'globalThis',
    'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate', 'queueMicrotask',
    'URL', 'URLSearchParams', 'TextEncoder', 'TextDecoder', 'AbortController', 'AbortSignal', 'performance', 'structuredClone',
  ].map((name) => [name, name === 'module' || name === 'exports' ? 'writable' : 'readonly']),
);

module.exports = tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'native/build/', 'leak-report/', 'coverage/', '**/fixtures/**/node_modules/', 'tests/**/artifacts/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: nodeGlobals },
    rules: {
      '@typescript-eslint/no-require-imports': 'off',
      // Files that still name Node's globals in a `/* global */` comment are not redeclaring anything.
      'no-redeclare': ['error', { builtinGlobals: false }],
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
);
