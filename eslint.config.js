// Lint configuration: ESLint's recommended rules plus typescript-eslint's, for every TS source.
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');

// Node's CommonJS globals (listed here rather than taken from a transitive dependency).
const nodeGlobals = Object.fromEntries(
  [
    'require',
    'module',
    'exports',
    'process',
    '__dirname',
    '__filename',
    'console',
    'Buffer',
    'global',
    'globalThis',
    'setTimeout',
    'clearTimeout',
    'setInterval',
    'clearInterval',
    'setImmediate',
    'clearImmediate',
    'queueMicrotask',
    'URL',
    'URLSearchParams',
    'TextEncoder',
    'TextDecoder',
    'AbortController',
    'AbortSignal',
    'performance',
    'structuredClone',
  ].map((name) => [name, name === 'module' || name === 'exports' ? 'writable' : 'readonly']),
);

module.exports = tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'native/build/',
      'leak-report/',
      'coverage/',
      '**/fixtures/**/node_modules/',
      'tests/**/artifacts/',
      'bench/results/',
    ],
  },
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
  // The layers (ARCHITECTURE.md, "Layers and rules"): model <- kernel <- core (engine -> stats) <- faces. An import
  // may only point down; faces never import each other, and the CLI reaches the reporter only through reporter/api.
  ...layerRules(),
);

/** One no-restricted-imports block per layer: the import specifiers its files may not use (gitignore-style globs). */
function layerRules() {
  const faces = [
    '**/src/jest',
    '**/src/jest/*',
    '**/src/cli',
    '**/src/cli/*',
    '**/src/profiler',
    '**/src/profiler/*',
    '**/src/gpr',
    '**/src/gpr/*',
    '**/matchers',
    '**/matchers/*',
    '**/reporter',
    '**/reporter/*',
  ];
  // From inside src/, a sibling folder is '../name'.
  const srcFaces = [
    '../jest',
    '../jest/*',
    '../cli',
    '../cli/*',
    '../profiler',
    '../profiler/*',
    '../gpr',
    '../gpr/*',
    '../../matchers',
    '../../matchers/*',
    '../../reporter',
    '../../reporter/*',
  ];
  const core = [
    '../engine',
    '../engine/*',
    '../stats',
    '../stats/*',
    '**/src/engine',
    '**/src/engine/*',
    '**/src/stats',
    '**/src/stats/*',
  ];
  const block = (files, group, message) => ({
    files,
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group, message }] }] },
  });
  const everything = ['../*', '../../*', '!../model'];
  return [
    block(['src/model/**/*.ts'], ['../*', '../../*'], 'src/model holds types only and imports nothing outside itself.'),
    block(['src/kernel/**/*.ts'], everything, 'src/kernel imports only src/model.'),
    block(['src/errors.ts'], ['./*', '../*'], 'src/errors.ts is the root of the error family and imports nothing.'),
    block(
      ['src/stats/**/*.ts'],
      [...srcFaces, '../engine', '../engine/*'],
      'src/stats is the bottom of the core: model, kernel and errors only.',
    ),
    block(
      ['src/engine/**/*.ts'],
      srcFaces,
      'the core (src/engine) never imports a face (jest, cli, profiler, gpr, matchers, reporter).',
    ),
    block(
      ['src/gpr/**/*.ts'],
      [...srcFaces.filter((p) => !p.startsWith('../gpr')), ...core],
      'leakproof/gpr stands alone: kernel, errors and the native loader only.',
    ),
    block(
      ['src/profiler/**/*.ts'],
      srcFaces.filter((p) => !p.startsWith('../profiler')),
      'a face (src/profiler) imports only core and kernel, never another face.',
    ),
    block(
      ['src/jest/**/*.ts'],
      srcFaces.filter((p) => !p.startsWith('../jest')),
      'a face (src/jest) imports only core and kernel, never another face.',
    ),
    block(
      ['src/cli/**/*.ts'],
      [
        '**/reporter/*',
        '!**/reporter/api',
        '**/matchers',
        '**/matchers/*',
        '**/jest/*',
        '**/profiler',
        '**/profiler/*',
      ],
      'the CLI reaches the reporter only through reporter/api.ts (and leakproof/gpr through its modules), never the matchers, the Jest glue or the profiler.',
    ),
    block(
      ['matchers/**/*.ts'],
      faces.filter((p) => !p.includes('matchers') && !p.includes('src/jest')),
      "a face (matchers) imports only core, kernel and the Jest glue's record contract, never another face.",
    ),
    block(
      ['reporter/**/*.ts'],
      faces.filter((p) => !p.includes('reporter') && !p.includes('src/jest')),
      "a face (reporter) imports only core, kernel and the Jest glue's records files, never another face.",
    ),
  ];
}
