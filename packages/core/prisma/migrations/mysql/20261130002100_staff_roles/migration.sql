-- Written by hand to mirror ../../postgresql/ (the Wasm schema engine has no MySQL
-- connector), in the form `prisma migrate dev` gives for MySQL.

-- AlterTable
ALTER TABLE `mechanics` ADD COLUMN `role` ENUM('owner', 'service_writer', 'technician') NOT NULL DEFAULT 'technician';

-- Existing shops: the account that opened the shop (the lowest id) owns it, the
-- other staff keep today's powers, managing staff aside, as service writers.
-- MySQL cannot read the table an UPDATE writes, except through a derived table.
UPDATE `mechanics` SET `role` = IF(`id` = (SELECT `id` FROM (SELECT MIN(`id`) AS `id` FROM `mechanics`) AS `first_mechanic`), 'owner', 'service_writer');
