import { defineConfig, mergeConfig } from 'vitest/config';
import { workspaceTestConfig } from '../../vitest.shared.ts';

export default mergeConfig(workspaceTestConfig, defineConfig({ test: { include: ['test/**/*.test.ts'], testTimeout: 120_000 } }));
