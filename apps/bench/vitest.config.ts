import { defineConfig, mergeConfig } from 'vitest/config';
import { workspaceTestConfig } from '../../vitest.shared.ts';

// The bench's pure parts (targets, report, random); the load runs themselves are `pnpm bench`.
export default mergeConfig(workspaceTestConfig, defineConfig({ test: { include: ['src/**/*.test.ts'] } }));
