import tseslint from 'typescript-eslint';
import layers from './tools/eslint/layers.js';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'bench/results/**', 'console/dist/**', 'test/artifacts/**'] },
  ...tseslint.configs.recommended,
  {
    plugins: { layers },
    rules: {
      'layers/one-way': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/switch-exhaustiveness-check': 'off',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
);
