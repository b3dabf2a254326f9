// Lint: ESLint's and typescript-eslint's recommended rules (without type information, to stay fast).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', require: 'readonly', module: 'writable', __dirname: 'readonly', __filename: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      // A focused or skipped test silently hides the rest of the suite.
      'no-restricted-properties': ['error',
        ...['it', 'describe', 'test'].flatMap((object) => [{ object, property: 'only' }, { object, property: 'skip' }])],
    },
  },
);
