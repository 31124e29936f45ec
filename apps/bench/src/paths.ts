import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The production build of the API (`pnpm --filter @mechanic-shop/api build`). */
export const API_MAIN = path.join(REPO_ROOT, 'apps/api/dist/main.js');

/** The SQLite migrations: part of the seed cache key, so a schema change reseeds. */
export const SQLITE_MIGRATIONS_DIR = path.join(REPO_ROOT, 'packages/core/prisma/migrations/sqlite');

/** Results, the seeded database cache, logs and profiles (gitignored). */
export const ARTIFACTS_DIR = path.join(REPO_ROOT, 'artifacts/bench');
