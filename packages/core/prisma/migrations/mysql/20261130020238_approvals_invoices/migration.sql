-- Written by hand to mirror ../../postgresql/ (the Wasm schema engine has no MySQL
-- connector), in the form `prisma migrate dev` gives for MySQL.

-- AlterTable
ALTER TABLE `jobs` ADD COLUMN `approval_id` INTEGER NULL,
    ADD COLUMN `authorization` ENUM('pending', 'approved', 'declined') NOT NULL DEFAULT 'pending',
    ADD COLUMN `decided_at` DATETIME(3) NULL,
    ADD COLUMN `decline_reason` VARCHAR(500) NULL,
    ADD COLUMN `follow_up_on` DATETIME(3) NULL,
    ADD COLUMN `revived_at` DATETIME(3) NULL,
    ADD COLUMN `revived_into_ticket_id` INTEGER NULL;

-- AlterTable
ALTER TABLE `shop_settings` ADD COLUMN `invoice_prefix` VARCHAR(12) NOT NULL DEFAULT 'INV-';

-- CreateTable
CREATE TABLE `approvals` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `service_ticket_id` INTEGER NOT NULL,
    `estimate_version` INTEGER NOT NULL,
    `method` ENUM('portal', 'link', 'in_person', 'phone', 'text', 'email') NOT NULL,
    `recorded_by_kind` ENUM('customer', 'staff') NOT NULL,
    `recorded_by_id` INTEGER NOT NULL,
    `contact_name` VARCHAR(100) NULL,
    `contact_phone` VARCHAR(32) NULL,
    `signature_name` VARCHAR(100) NOT NULL,
    `approved_amount_cents` INTEGER NOT NULL,
    `client_ip` VARCHAR(45) NOT NULL,
    `user_agent` VARCHAR(255) NOT NULL DEFAULT '',
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    INDEX `approvals_service_ticket_id_id_idx`(`service_ticket_id`, `id`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `approval_decisions` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `approval_id` INTEGER NOT NULL,
    `job_id` INTEGER NOT NULL,
    `job_title` VARCHAR(120) NOT NULL,
    `decision` ENUM('approve', 'decline') NOT NULL,
    `reason` VARCHAR(500) NULL,
    `amount_cents` INTEGER NOT NULL,

    INDEX `approval_decisions_approval_id_id_idx`(`approval_id`, `id`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `approval_links` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `service_ticket_id` INTEGER NOT NULL,
    `token_hash` VARCHAR(64) NOT NULL,
    `estimate_version` INTEGER NOT NULL,
    `expires_at` DATETIME(3) NOT NULL,
    `revoked_at` DATETIME(3) NULL,
    `created_by_id` INTEGER NOT NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    UNIQUE INDEX `approval_links_token_hash_key`(`token_hash`),
    INDEX `approval_links_service_ticket_id_id_idx`(`service_ticket_id`, `id`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `invoice_sequence` (
    `id` INTEGER NOT NULL,
    `last_number` INTEGER NOT NULL,

    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `invoices` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `number` VARCHAR(32) NOT NULL,
    `sequence` INTEGER NOT NULL,
    `service_ticket_id` INTEGER NOT NULL,
    `customer_id` INTEGER NOT NULL,
    `live_ticket_id` INTEGER NULL,
    `issued_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `issued_by_id` INTEGER NOT NULL,
    `snapshot` TEXT NOT NULL,
    `labor_cents` INTEGER NOT NULL,
    `parts_cents` INTEGER NOT NULL,
    `fees_cents` INTEGER NOT NULL,
    `sublet_cents` INTEGER NOT NULL,
    `supplies_cents` INTEGER NOT NULL,
    `discounts_cents` INTEGER NOT NULL,
    `tax_labor_cents` INTEGER NOT NULL,
    `tax_parts_cents` INTEGER NOT NULL,
    `tax_fees_cents` INTEGER NOT NULL,
    `tax_sublet_cents` INTEGER NOT NULL,
    `subtotal_cents` INTEGER NOT NULL,
    `total_cents` INTEGER NOT NULL,
    `voided_at` DATETIME(3) NULL,
    `void_reason` VARCHAR(500) NULL,
    `voided_by_id` INTEGER NULL,

    UNIQUE INDEX `invoices_number_key`(`number`),
    UNIQUE INDEX `invoices_sequence_key`(`sequence`),
    UNIQUE INDEX `invoices_live_ticket_id_key`(`live_ticket_id`),
    INDEX `invoices_service_ticket_id_idx`(`service_ticket_id`),
    INDEX `invoices_customer_id_id_idx`(`customer_id`, `id`),
    INDEX `invoices_issued_at_idx`(`issued_at`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `payments` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `invoice_id` INTEGER NOT NULL,
    `amount_cents` INTEGER NOT NULL,
    `method` ENUM('cash', 'card', 'check', 'other') NOT NULL,
    `reference` VARCHAR(100) NULL,
    `received_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `recorded_by_id` INTEGER NOT NULL,

    INDEX `payments_invoice_id_id_idx`(`invoice_id`, `id`),
    INDEX `payments_received_at_idx`(`received_at`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `refunds` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `payment_id` INTEGER NOT NULL,
    `amount_cents` INTEGER NOT NULL,
    `reason` VARCHAR(500) NOT NULL,
    `refunded_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `recorded_by_id` INTEGER NOT NULL,

    INDEX `refunds_payment_id_id_idx`(`payment_id`, `id`),
    INDEX `refunds_refunded_at_idx`(`refunded_at`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `idempotency_keys` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `scope` VARCHAR(100) NOT NULL,
    `key` VARCHAR(255) NOT NULL,
    `request_hash` VARCHAR(64) NOT NULL,
    `response_status` INTEGER NULL,
    `response_body` TEXT NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `expires_at` DATETIME(3) NOT NULL,

    INDEX `idempotency_keys_expires_at_idx`(`expires_at`),
    UNIQUE INDEX `idempotency_keys_scope_key_key`(`scope`, `key`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- Existing work: jobs of tickets already started or done were authorized before
-- approvals were recorded, so they count as approved (decided when the ticket last
-- changed) and a completed ticket can be invoiced. Jobs of other tickets stay pending.
UPDATE `jobs` SET `authorization` = 'approved', `decided_at` = (SELECT `updated_at` FROM `service_tickets` WHERE `service_tickets`.`id` = `jobs`.`service_ticket_id`)
WHERE `service_ticket_id` IN (SELECT `id` FROM `service_tickets` WHERE `status` IN ('IN_PROGRESS', 'COMPLETED'));

-- The invoice counter starts at 0: the first invoice is number 1.
INSERT INTO `invoice_sequence` (`id`, `last_number`) VALUES (1, 0);

-- CreateIndex
CREATE INDEX `jobs_authorization_follow_up_on_idx` ON `jobs`(`authorization`, `follow_up_on`);

-- CreateIndex
CREATE INDEX `jobs_approval_id_idx` ON `jobs`(`approval_id`);

-- AddForeignKey
ALTER TABLE `jobs` ADD CONSTRAINT `jobs_approval_id_fkey` FOREIGN KEY (`approval_id`) REFERENCES `approvals`(`id`) ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `approvals` ADD CONSTRAINT `approvals_service_ticket_id_fkey` FOREIGN KEY (`service_ticket_id`) REFERENCES `service_tickets`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `approval_decisions` ADD CONSTRAINT `approval_decisions_approval_id_fkey` FOREIGN KEY (`approval_id`) REFERENCES `approvals`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `approval_links` ADD CONSTRAINT `approval_links_service_ticket_id_fkey` FOREIGN KEY (`service_ticket_id`) REFERENCES `service_tickets`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `invoices` ADD CONSTRAINT `invoices_service_ticket_id_fkey` FOREIGN KEY (`service_ticket_id`) REFERENCES `service_tickets`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `invoices` ADD CONSTRAINT `invoices_customer_id_fkey` FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `payments` ADD CONSTRAINT `payments_invoice_id_fkey` FOREIGN KEY (`invoice_id`) REFERENCES `invoices`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `refunds` ADD CONSTRAINT `refunds_payment_id_fkey` FOREIGN KEY (`payment_id`) REFERENCES `payments`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE;
