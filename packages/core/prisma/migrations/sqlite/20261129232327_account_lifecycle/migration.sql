-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_customers" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "phone" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "token_version" INTEGER NOT NULL DEFAULT 0,
    "erased_at" DATETIME,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL
);
INSERT INTO "new_customers" ("address", "created_at", "email", "id", "name", "password_hash", "phone", "updated_at") SELECT "address", "created_at", "email", "id", "name", "password_hash", "phone", "updated_at" FROM "customers";
DROP TABLE "customers";
ALTER TABLE "new_customers" RENAME TO "customers";
CREATE UNIQUE INDEX "customers_email_key" ON "customers"("email");
CREATE TABLE "new_mechanics" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "phone" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "salary_cents" INTEGER NOT NULL,
    "password_hash" TEXT NOT NULL,
    "token_version" INTEGER NOT NULL DEFAULT 0,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL
);
INSERT INTO "new_mechanics" ("address", "created_at", "email", "id", "name", "password_hash", "phone", "salary_cents", "updated_at") SELECT "address", "created_at", "email", "id", "name", "password_hash", "phone", "salary_cents", "updated_at" FROM "mechanics";
DROP TABLE "mechanics";
ALTER TABLE "new_mechanics" RENAME TO "mechanics";
CREATE UNIQUE INDEX "mechanics_email_key" ON "mechanics"("email");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
