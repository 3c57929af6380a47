// @ts-check
/**
 * The lint of `npm test` (`npm run lint`): typescript-eslint's recommended rules over every
 * package, test, bench and tool, plus the package boundaries, drawn from each package.json:
 * a package's source may import only the @cordon packages it declares AND that its layer allows
 * (protocol <- core <- store/server; the agent only protocol; web and cli only protocol and
 * api-client, the cli also server and agent for its `cordon server|agent` entry commands).
 * Tests (`test/`, `*.test.ts`) are integration tests: they may import any workspace package.
 */
import { readFileSync, readdirSync } from 'node:fs';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import comments from '@eslint-community/eslint-plugin-eslint-comments';

/** What each package's own source may import, besides itself. */
export const ALLOWED_ARROWS = {
  protocol: [],
  core: ['protocol'],
  store: ['core', 'protocol'],
  server: ['store', 'core', 'protocol'],
  agent: ['protocol'],
  'api-client': ['protocol'],
  cli: ['api-client', 'protocol', 'server', 'agent'],
  web: ['api-client', 'protocol'],
};

const packages = readdirSync(new URL('./packages', import.meta.url));

/** @returns {string[]} the @cordon packages `name` declares in its package.json */
function declared(name) {
  const pkg = JSON.parse(readFileSync(new URL(`./packages/${name}/package.json`, import.meta.url), 'utf8'));
  return Object.keys({ ...pkg.dependencies, ...pkg.devDependencies, ...pkg.peerDependencies })
    .filter((dep) => dep.startsWith('@cordon/'))
    .map((dep) => dep.slice('@cordon/'.length));
}

/** One no-restricted-imports block per package: every @cordon package it may not import. */
function boundaries() {
  return packages.map((name) => {
    const arrows = /** @type {Record<string, string[]>} */ (ALLOWED_ARROWS)[name];
    if (!arrows) throw new Error(`eslint.config.js: packages/${name} has no entry in ALLOWED_ARROWS`);
    const mayImport = new Set([name, ...arrows.filter((a) => declared(name).includes(a))]);
    const forbidden = packages.filter((other) => !mayImport.has(other));
    return {
      files: [`packages/${name}/src/**/*.{ts,tsx}`],
      ignores: ['**/*.test.{ts,tsx}'],
      rules: {
        // Dynamic `import()` and `import('…').Type` escape no-restricted-imports: the same list, as syntax.
        'no-restricted-syntax': ['error', ...forbidden.flatMap((other) => {
          const source = `/^@cordon\\/${other.replace('-', '\\-')}(\\/|$)/`;
          const message = `packages/${name} must not import @cordon/${other} (see docs/architecture.md)`;
          return [
            { selector: `ImportExpression[source.value=${source}]`, message },
            { selector: `TSImportType[argument.literal.value=${source}]`, message },
          ];
        })],
        'no-restricted-imports': [
          'error',
          {
            patterns: forbidden.map((other) => ({
              group: [`@cordon/${other}`, `@cordon/${other}/*`],
              message: arrows.includes(other)
                ? `packages/${name} may import @cordon/${other} only once its package.json declares it`
                : `packages/${name} must not import @cordon/${other} (allowed: ${arrows.join(', ') || 'nothing'}; see docs/architecture.md)`,
            })),
          },
        ],
      },
    };
  });
}

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'packages/agent/artifact/**', 'packages/web/dist/**', 'packages/api-client/src/generated/**', 'e2e/**/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { console: 'readonly', process: 'readonly', URL: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', setImmediate: 'readonly', fetch: 'readonly', performance: 'readonly', crypto: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly', structuredClone: 'readonly', queueMicrotask: 'readonly', Response: 'readonly', Request: 'readonly', Headers: 'readonly', FormData: 'readonly', Blob: 'readonly', File: 'readonly', URLSearchParams: 'readonly', window: 'readonly', document: 'readonly', navigator: 'readonly', localStorage: 'readonly', sessionStorage: 'readonly', location: 'readonly', history: 'readonly', EventSource: 'readonly', HTMLElement: 'readonly', HTMLInputElement: 'readonly', KeyboardEvent: 'readonly', MouseEvent: 'readonly', Event: 'readonly', ReadableStream: 'readonly', WritableStream: 'readonly', NodeJS: 'readonly' } },
    rules: {
      // TypeScript checks undefined names itself (tsc -b is part of the build), better than this rule can.
      'no-undef': 'off',
      // Unused names are errors, except a deliberately ignored one spelled with a leading underscore.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
    },
  },
  {
    // Every disable comment names its rule and says why after `--`.
    plugins: { '@eslint-community/eslint-comments': comments },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@eslint-community/eslint-comments/require-description': ['error', { ignore: ['eslint-enable'] }],
      '@eslint-community/eslint-comments/no-unlimited-disable': 'error',
    },
  },
  {
    files: ['packages/web/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    // Tests and benches read loosely typed JSON answers of the API they drive; typing each one by
    // hand would restate the wire types the tests are there to check.
    files: ['**/*.test.{ts,tsx}', '**/test/**/*.ts', 'e2e/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  ...boundaries(),
  {
    // Comments say what the code does; an issue number says nothing to the next reader.
    files: ['**/*.{ts,tsx,js,mjs}'],
    rules: {
      'no-warning-comments': ['error', { terms: Array.from({ length: 99 }, (_, i) => [`issue ${i + 1}`, `issue #${i + 1}`, `issues ${i + 1}`]).flat(), location: 'anywhere' }],
    },
  },
);
