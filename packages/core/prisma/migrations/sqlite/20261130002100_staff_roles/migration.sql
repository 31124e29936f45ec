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
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL
);
INSERT INTO "new_mechanics" ("address", "created_at", "email", "id", "name", "password_hash", "phone", "salary_cents", "token_version", "updated_at") SELECT "address", "created_at", "email", "id", "name", "password_hash", "phone", "salary_cents", "token_version", "updated_at" FROM "mechanics";
DROP TABLE "mechanics";
ALTER TABLE "new_mechanics" RENAME TO "mechanics";
CREATE UNIQUE INDEX "mechanics_email_key" ON "mechanics"("email");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- Existing shops: the account that opened the shop (the lowest id) owns it, the
-- other staff keep today's powers, managing staff aside, as service writers.
UPDATE "mechanics" SET "role" = CASE WHEN "id" = (SELECT MIN("id") FROM "mechanics") THEN 'owner' ELSE 'service_writer' END;
