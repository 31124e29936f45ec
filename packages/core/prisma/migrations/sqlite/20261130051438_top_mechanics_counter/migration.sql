-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_mechanics" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "phone" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "salary_cents" INTEGER NOT NULL,
    "role" TEXT NOT NULL DEFAULT 'technician',
    "password_hash" TEXT NOT NULL,
    "token_version" INTEGER NOT NULL DEFAULT 0,
    "ticket_count" INTEGER NOT NULL DEFAULT 0,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL
);
INSERT INTO "new_mechanics" ("address", "created_at", "email", "id", "name", "password_hash", "phone", "role", "salary_cents", "token_version", "updated_at") SELECT "address", "created_at", "email", "id", "name", "password_hash", "phone", "role", "salary_cents", "token_version", "updated_at" FROM "mechanics";
DROP TABLE "mechanics";
ALTER TABLE "new_mechanics" RENAME TO "mechanics";
CREATE UNIQUE INDEX "mechanics_email_key" ON "mechanics"("email");
CREATE INDEX "mechanics_ticket_count_id_idx" ON "mechanics"("ticket_count" DESC, "id");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- Existing shops: each mechanic's count starts at the assignments they have.
UPDATE "mechanics" SET "ticket_count" = (SELECT COUNT(*) FROM "service_assignments" WHERE "service_assignments"."mechanic_id" = "mechanics"."id");
