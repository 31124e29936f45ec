import { defineConfig } from 'tsdown';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  platform: 'neutral',
  target: 'es2022',
  clean: true,
  // @mechanic-shop/core is a devDependency, so its types are inlined into the
  // declarations (from its built .d.ts): a consumer needs neither the core
  // package nor Prisma. @trpc/* are dependencies and stay imports.
  dts: { tsconfig: './tsconfig.json' },
});
