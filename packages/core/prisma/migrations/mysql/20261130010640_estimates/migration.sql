-- Written by hand to mirror ../../postgresql/ (the Wasm schema engine has no MySQL
-- connector), in the form `prisma migrate dev` gives for MySQL.

-- AlterTable
ALTER TABLE `service_tickets` ADD COLUMN `estimate_version` INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE `shop_settings` (
    `id` INTEGER NOT NULL,
    `shop_name` VARCHAR(100) NOT NULL,
    `currency` VARCHAR(3) NOT NULL,
    `labor_rate_cents` INTEGER NOT NULL,
    `tax_labor_thousandths` INTEGER NOT NULL,
    `tax_parts_thousandths` INTEGER NOT NULL,
    `tax_fees_thousandths` INTEGER NOT NULL,
    `tax_sublet_thousandths` INTEGER NOT NULL,
    `supplies_percent_thousandths` INTEGER NOT NULL,
    `supplies_cap_cents` INTEGER NOT NULL,
    `supplies_taxable` BOOLEAN NOT NULL,
    `declined_follow_up_days` INTEGER NOT NULL,
    `pricing_version` INTEGER NOT NULL DEFAULT 0,
    `updated_at` DATETIME(3) NOT NULL,

    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `jobs` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `service_ticket_id` INTEGER NOT NULL,
    `title` VARCHAR(120) NOT NULL,
    `concern` VARCHAR(2000) NOT NULL DEFAULT '',
    `cause` VARCHAR(2000) NOT NULL DEFAULT '',
    `correction` VARCHAR(2000) NOT NULL DEFAULT '',
    `pay_type` ENUM('customer', 'internal', 'warranty') NOT NULL DEFAULT 'customer',
    `position` INTEGER NOT NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updated_at` DATETIME(3) NOT NULL,

    INDEX `jobs_service_ticket_id_position_idx`(`service_ticket_id`, `position`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `job_lines` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `job_id` INTEGER NOT NULL,
    `type` ENUM('labor', 'part', 'fee', 'sublet') NOT NULL,
    `description` VARCHAR(2000) NOT NULL DEFAULT '',
    `hours_hundredths` INTEGER NULL,
    `rate_cents` INTEGER NULL,
    `technician_id` INTEGER NULL,
    `inventory_id` INTEGER NULL,
    `quantity` INTEGER NULL,
    `unit_price_cents` INTEGER NULL,
    `amount_cents` INTEGER NULL,
    `cost_cents` INTEGER NULL,
    `taxable` BOOLEAN NOT NULL DEFAULT true,
    `discount_percent_thousandths` INTEGER NULL,
    `discount_cents` INTEGER NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updated_at` DATETIME(3) NOT NULL,

    INDEX `job_lines_job_id_id_idx`(`job_id`, `id`),
    INDEX `job_lines_inventory_id_idx`(`inventory_id`),
    INDEX `job_lines_technician_id_idx`(`technician_id`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- Existing part lines: each ticket that has some gets one job, "General", that
-- holds them as part lines, at the unit price and quantity they had.
INSERT INTO `jobs` (`service_ticket_id`, `title`, `position`, `updated_at`)
SELECT DISTINCT `service_ticket_id`, 'General', 1, CURRENT_TIMESTAMP(3) FROM `ticket_parts`;
INSERT INTO `job_lines` (`job_id`, `type`, `inventory_id`, `quantity`, `unit_price_cents`, `created_at`, `updated_at`)
SELECT `jobs`.`id`, 'part', `ticket_parts`.`inventory_id`, `ticket_parts`.`quantity`, `ticket_parts`.`unit_price_cents`, `ticket_parts`.`added_at`, CURRENT_TIMESTAMP(3)
FROM `ticket_parts` JOIN `jobs` ON `jobs`.`service_ticket_id` = `ticket_parts`.`service_ticket_id`
ORDER BY `ticket_parts`.`service_ticket_id`, `ticket_parts`.`inventory_id`;

-- DropForeignKey
ALTER TABLE `ticket_parts` DROP FOREIGN KEY `ticket_parts_inventory_id_fkey`;

-- DropForeignKey
ALTER TABLE `ticket_parts` DROP FOREIGN KEY `ticket_parts_service_ticket_id_fkey`;

-- DropTable
DROP TABLE `ticket_parts`;

-- AddForeignKey
ALTER TABLE `jobs` ADD CONSTRAINT `jobs_service_ticket_id_fkey` FOREIGN KEY (`service_ticket_id`) REFERENCES `service_tickets`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `job_lines` ADD CONSTRAINT `job_lines_job_id_fkey` FOREIGN KEY (`job_id`) REFERENCES `jobs`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `job_lines` ADD CONSTRAINT `job_lines_inventory_id_fkey` FOREIGN KEY (`inventory_id`) REFERENCES `inventory`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `job_lines` ADD CONSTRAINT `job_lines_technician_id_fkey` FOREIGN KEY (`technician_id`) REFERENCES `mechanics`(`id`) ON DELETE SET NULL ON UPDATE CASCADE;
