import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const frameworks = ['hono', 'hono/*', '@hono/*', '@modelcontextprotocol/*', 'inversify', 'ioredis', '@aws-sdk/*', '@azure/*', 'winston', '@opentelemetry/*', 'cockatiel'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'loadtest/**', 'terraform/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The hexagon: the domain and ports depend on nothing but themselves.
    files: ['src/domain/**/*.ts', 'src/ports/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/adapters/**', '**/app/**'], message: 'The domain may not depend on adapters or the app.' },
            { group: frameworks, message: 'Keep frameworks out of the domain; depend on a port instead.' },
          ],
        },
      ],
    },
  },
  {
    // Only the composition root chooses adapters.
    files: ['src/adapters/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/app/container*'], message: 'Adapters must not reach into the composition root.' }] }],
    },
  },
);
