import { defineConfig, mergeConfig } from 'vitest/config';
import { databaseProjects, workspaceTestConfig } from '../../vitest.shared.ts';

export default mergeConfig(
  workspaceTestConfig,
  defineConfig({
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'scripts/**/*.test.ts'],
      projects: await databaseProjects(),
    },
  }),
);
