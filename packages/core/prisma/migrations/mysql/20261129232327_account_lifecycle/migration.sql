-- Written by hand to mirror ../../postgresql/ (the Wasm schema engine has no MySQL
-- connector), in the form `prisma migrate dev` gives for MySQL.

-- AlterTable
ALTER TABLE `customers` ADD COLUMN `erased_at` DATETIME(3) NULL,
    ADD COLUMN `token_version` INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE `mechanics` ADD COLUMN `token_version` INTEGER NOT NULL DEFAULT 0;
