-- Written by hand to mirror ../../postgresql/ (the Wasm schema engine has no MySQL
-- connector), in the form `prisma migrate dev` gives for MySQL.

-- CreateTable
CREATE TABLE `vehicles` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `customer_id` INTEGER NOT NULL,
    `vin` VARCHAR(17) NULL,
    `plate` VARCHAR(16) NULL,
    `year` INTEGER NULL,
    `make` VARCHAR(50) NULL,
    `model` VARCHAR(50) NULL,
    `trim` VARCHAR(50) NULL,
    `engine` VARCHAR(50) NULL,
    `color` VARCHAR(30) NULL,
    `odometer` INTEGER NULL,
    `odometer_unit` ENUM('mi', 'km') NOT NULL DEFAULT 'mi',
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updated_at` DATETIME(3) NOT NULL,

    UNIQUE INDEX `vehicles_vin_key`(`vin`),
    INDEX `vehicles_customer_id_id_idx`(`customer_id`, `id`),
    INDEX `vehicles_plate_idx`(`plate`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- Existing tickets: one vehicle per distinct VIN, owned by the customer of the
-- latest ticket (highest id) with that VIN. Existing VINs are kept as they are,
-- even with a wrong check digit: the VIN rules apply to new writes.
INSERT INTO `vehicles` (`customer_id`, `vin`, `updated_at`)
SELECT `customer_id`, `vin`, CURRENT_TIMESTAMP(3) FROM `service_tickets` AS `ticket`
WHERE `id` = (SELECT MAX(`id`) FROM `service_tickets` WHERE `vin` = `ticket`.`vin`)
ORDER BY `id`;

-- AlterTable: every ticket points at the vehicle of its VIN.
ALTER TABLE `service_tickets` ADD COLUMN `odometer_in` INTEGER NULL,
    ADD COLUMN `odometer_out` INTEGER NULL,
    ADD COLUMN `vehicle_id` INTEGER NULL;
UPDATE `service_tickets` JOIN `vehicles` ON `vehicles`.`vin` = `service_tickets`.`vin` SET `service_tickets`.`vehicle_id` = `vehicles`.`id`;
ALTER TABLE `service_tickets` MODIFY `vehicle_id` INTEGER NOT NULL,
    DROP COLUMN `vin`;

-- CreateTable
CREATE TABLE `odometer_readings` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `vehicle_id` INTEGER NOT NULL,
    `reading` INTEGER NOT NULL,
    `unit` ENUM('mi', 'km') NOT NULL,
    `correction_reason` VARCHAR(255) NULL,
    `recorded_by_kind` ENUM('customer', 'staff') NOT NULL,
    `recorded_by_id` INTEGER NOT NULL,
    `recorded_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `service_ticket_id` INTEGER NULL,

    INDEX `odometer_readings_vehicle_id_id_idx`(`vehicle_id`, `id`),
    INDEX `odometer_readings_service_ticket_id_idx`(`service_ticket_id`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateIndex
CREATE INDEX `service_tickets_vehicle_id_id_idx` ON `service_tickets`(`vehicle_id`, `id`);

-- AddForeignKey
ALTER TABLE `vehicles` ADD CONSTRAINT `vehicles_customer_id_fkey` FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `odometer_readings` ADD CONSTRAINT `odometer_readings_vehicle_id_fkey` FOREIGN KEY (`vehicle_id`) REFERENCES `vehicles`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `odometer_readings` ADD CONSTRAINT `odometer_readings_service_ticket_id_fkey` FOREIGN KEY (`service_ticket_id`) REFERENCES `service_tickets`(`id`) ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `service_tickets` ADD CONSTRAINT `service_tickets_vehicle_id_fkey` FOREIGN KEY (`vehicle_id`) REFERENCES `vehicles`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE;
