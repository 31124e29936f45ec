-- Written by hand to mirror ../../postgresql/ (the Wasm schema engine has no MySQL
-- connector), in the form `prisma migrate dev` gives for MySQL.

-- AlterTable
ALTER TABLE `mechanics` ADD COLUMN `ticket_count` INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX `mechanics_ticket_count_id_idx` ON `mechanics`(`ticket_count` DESC, `id`);

-- Existing shops: each mechanic's count starts at the assignments they have.
UPDATE `mechanics` SET `ticket_count` = (SELECT COUNT(*) FROM `service_assignments` WHERE `service_assignments`.`mechanic_id` = `mechanics`.`id`);
