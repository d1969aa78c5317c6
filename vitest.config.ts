import { defineConfig } from 'vitest/config';

const serverUrl = process.env.TEST_DATABASE_URL;

/**
 * Every test runs on an in-memory PGlite; when TEST_DATABASE_URL names a PostgreSQL server, the
 * whole suite runs a second time against it (each test file in a schema of its own).
 */
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'pglite',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          env: { TEST_DATABASE_URL: '' },
        },
      },
      ...(serverUrl
        ? [
            {
              extends: true as const,
              test: {
                name: 'postgres',
                include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
                exclude: ['src/domain/**', 'src/cli/**', 'test/browser/**'],
                env: { TEST_DATABASE_URL: serverUrl },
              },
            },
          ]
        : []),
    ],
  },
});
