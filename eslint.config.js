import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', 'tab/dist/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // The server and its tests are linted with types (unawaited promises, unbound methods, needless
    // assertions, `any` leaking). tab/ has its own toolchain and is not part of this program.
    files: ['bot/**/*.ts', 'test/**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // vitest's asymmetric matchers (expect.any, expect.stringMatching, expect.objectContaining)
      // are typed `any`; putting them in an expected object is what they are for.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      // Fakes implement the app's async ports with `async` bodies that need no await: a throw in
      // one still rejects, as the real port's would.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Browser tests hand callbacks to the page (Playwright's evaluate): they are typed against the
    // DOM, which the server's TypeScript program (lib ES2023, no DOM) cannot resolve.
    files: ['test/tab/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // The build and the launcher are plain Node scripts (they run before anything is built).
    files: ['bot/*.mjs'],
    languageOptions: { globals: { console: 'readonly', process: 'readonly' } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-empty': ['error', { allowEmptyCatch: false }],
    },
  },
  // The tab runs in the browser (TypeScript's DOM lib knows its globals): React's rules of hooks apply.
  {
    files: ['tab/src/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat['recommended-latest'],
  },
);
