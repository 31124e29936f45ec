import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsdown';

/** The React entry's peers (React, TanStack Query, tRPC's integration): the app's own copies, never bundled. */
const peers = Object.keys((JSON.parse(readFileSync('./package.json', 'utf8')) as { peerDependencies: object }).peerDependencies);

export default defineConfig({
  entry: ['src/index.ts', 'src/react.ts'],
  format: ['esm', 'cjs'],
  platform: 'neutral',
  target: 'es2022',
  clean: true,
  // The package has no dependencies: the tRPC client's code, and the types of
  // tRPC and of the API (from the core's built declarations) are bundled in. A
  // consumer installs this package alone: no core, no Prisma, and no TypeScript
  // pulled in as a required peer of @trpc/* (npm installs those). The React
  // entry's peers stay imports (tsdown leaves peers out): only a React app installs them.
  deps: { onlyBundle: ['@trpc/client', '@trpc/server'] },
  dts: { tsconfig: './tsconfig.json' },
  hooks: {
    // A declaration the bundler could not inline (the core not built, say) stays
    // an import of a package the consumer does not have: fail here, not in their
    // `tsc`.
    'build:done'({ chunks }) {
      const emitted = new Set(chunks.map((chunk) => chunk.fileName));
      const external = chunks.flatMap((chunk) =>
        chunk.type === 'chunk'
          ? [...chunk.imports, ...chunk.dynamicImports]
              .filter((id) => !emitted.has(id) && !id.startsWith('node:') && !peers.includes(id))
              .map((id) => `${chunk.fileName} imports ${id}`)
          : [],
      );
      if (external.length > 0) {
        throw new Error(
          `The SDK must not import other packages (build the core's declarations first: \`pnpm sdk:pack\` does):\n${external.join('\n')}`,
        );
      }
    },
  },
});
