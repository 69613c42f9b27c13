// Flat config. The rule that matters most is the layering: core is host-free, the action never sees
// vscode, the extension never sees @actions/*. Host capabilities come in as parameters.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const hostFree = 'packages/core must stay host-free: take it as a parameter instead.';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'build/**', 'packages/*/build/**', 'bench/out/**', '.rig/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  {
    files: ['packages/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: hostFree }],
        patterns: [
          { group: ['@actions/*'], message: hostFree },
          { group: ['@acrkit/action', '@acrkit/action/*', 'acrkit-vscode', 'acrkit-vscode/*'], message: hostFree },
        ],
      }],
    },
  },
  {
    files: ['packages/action/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'The Action never imports vscode.' }],
        patterns: [{ group: ['acrkit-vscode', 'acrkit-vscode/*'], message: 'The Action never imports the extension.' }],
      }],
    },
  },
  {
    files: ['packages/vscode/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['@actions/*'], message: 'The extension never imports @actions/*.' },
          { group: ['@acrkit/action', '@acrkit/action/*'], message: 'The extension never imports the Action.' },
        ],
      }],
    },
  },
);
