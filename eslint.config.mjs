// Layer boundaries of docs/architecture.md, enforced as lint errors:
// renderer → shared; electron/{main,preload,server,cli} → core → shared.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const doors = ['**/electron/main/**', '**/electron/preload/**', '**/electron/server/**', '**/electron/cli/**'];
const doorsRelative = ['**/main/*', '**/preload/*', '**/server/*', '**/cli/*', '../../main/**', '../../preload/**', '../../server/**', '../../cli/**'];

const restrict = (paths, patterns, message) => ({
  'no-restricted-imports': ['error', {
    paths: paths.map((name) => ({ name, message })),
    patterns: patterns.length ? [{ group: patterns, message }] : [],
  }],
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bin/**', 'renderer/dist/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['scripts/**/*.js', 'bin/**/*.js', 'test/fixtures/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly', console: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['electron/core/**'],
    rules: restrict(['electron', 'react', 'react-dom', 'zustand'], [...doors, ...doorsRelative, '**/renderer/**'],
      'electron/core is plain Node: it never imports electron, react or a door (docs/architecture.md "Rules the build enforces").'),
  },
  {
    files: ['electron/cli/**', 'electron/server/**'],
    rules: restrict(['electron', 'react', 'react-dom'], ['**/renderer/**', '**/electron/main/**', '**/main/*'],
      'The CLI and the HTTP door run in plain Node: no electron, no renderer code.'),
  },
  {
    files: ['shared/**'],
    rules: restrict([...nodeBuiltins, 'electron', 'react', 'better-sqlite3', 'libsodium-wrappers-sumo'], ['**/electron/**', '**/renderer/**', '../electron/**', '../renderer/**'],
      'shared/ is imported by both sides: no Node or DOM APIs, no electron, no renderer code.'),
  },
  {
    files: ['renderer/**'],
    rules: restrict([...nodeBuiltins, 'electron', 'better-sqlite3', 'libsodium-wrappers-sumo'], ['**/electron/**', '../electron/**', '../../electron/**'],
      'The renderer talks to the core only through renderer/api/client.ts; it imports shared/ and no Node built-in.'),
  },
);
