-- Written by hand to mirror ../../postgresql/ (the Wasm schema engine has no MySQL
-- connector), in the form `prisma migrate dev` gives for MySQL.

-- AlterTable
ALTER TABLE `inventory` ADD COLUMN `reorder_point` INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE `events` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `position` INTEGER NULL,
    `type` VARCHAR(64) NOT NULL,
    `occurred_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `actor_kind` ENUM('customer', 'staff') NULL,
    `actor_id` INTEGER NULL,
    `subject_type` VARCHAR(32) NOT NULL,
    `subject_id` VARCHAR(64) NOT NULL,
    `data` TEXT NOT NULL,

    UNIQUE INDEX `events_position_key`(`position`),
    INDEX `events_position_id_idx`(`position`, `id`),
    INDEX `events_subject_type_subject_id_id_idx`(`subject_type`, `subject_id`, `id`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `event_publisher` (
    `id` INTEGER NOT NULL,
    `last_position` INTEGER NOT NULL,

    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `webhooks` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `url` VARCHAR(2048) NOT NULL,
    `event_types` TEXT NOT NULL,
    `description` VARCHAR(500) NOT NULL DEFAULT '',
    `secret` VARCHAR(100) NOT NULL,
    `enabled` BOOLEAN NOT NULL DEFAULT true,
    `disabled_at` DATETIME(3) NULL,
    `disabled_reason` VARCHAR(255) NULL,
    `failing_since` DATETIME(3) NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updated_at` DATETIME(3) NOT NULL,

    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `webhook_deliveries` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `webhook_id` INTEGER NOT NULL,
    `event_id` INTEGER NOT NULL,
    `subject_key` VARCHAR(100) NOT NULL,
    `event_position` INTEGER NOT NULL,
    `status` ENUM('pending', 'succeeded', 'failed') NOT NULL DEFAULT 'pending',
    `attempt_count` INTEGER NOT NULL DEFAULT 0,
    `next_attempt_at` DATETIME(3) NOT NULL,
    `lease_until` DATETIME(3) NULL,
    `lease_owner` VARCHAR(64) NULL,
    `completed_at` DATETIME(3) NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updated_at` DATETIME(3) NOT NULL,

    INDEX `webhook_deliveries_status_next_attempt_at_idx`(`status`, `next_attempt_at`),
    INDEX `webhook_deliveries_webhook_id_id_idx`(`webhook_id`, `id`),
    INDEX `webhook_deliveries_webhook_id_subject_key_event_position_idx`(`webhook_id`, `subject_key`, `event_position`),
    INDEX `webhook_deliveries_event_id_idx`(`event_id`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `webhook_attempts` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `delivery_id` INTEGER NOT NULL,
    `attempted_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `status_code` INTEGER NULL,
    `duration_ms` INTEGER NOT NULL,
    `response_body` VARCHAR(1024) NOT NULL DEFAULT '',
    `error` VARCHAR(255) NULL,

    INDEX `webhook_attempts_delivery_id_id_idx`(`delivery_id`, `id`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `audit_entries` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `occurred_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `actor_kind` ENUM('customer', 'staff') NULL,
    `actor_id` INTEGER NULL,
    `subject_type` VARCHAR(32) NOT NULL,
    `subject_id` VARCHAR(64) NOT NULL,
    `service_ticket_id` INTEGER NULL,
    `action` VARCHAR(64) NOT NULL,
    `changes` TEXT NOT NULL,
    `customer_visible` BOOLEAN NOT NULL DEFAULT false,

    INDEX `audit_entries_service_ticket_id_id_idx`(`service_ticket_id`, `id`),
    INDEX `audit_entries_subject_type_subject_id_id_idx`(`subject_type`, `subject_id`, `id`),
    INDEX `audit_entries_actor_kind_actor_id_id_idx`(`actor_kind`, `actor_id`, `id`),
    INDEX `audit_entries_occurred_at_idx`(`occurred_at`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- The publisher starts at position 0: the first published event is position 1.
INSERT INTO `event_publisher` (`id`, `last_position`) VALUES (1, 0);

-- AddForeignKey
ALTER TABLE `webhook_deliveries` ADD CONSTRAINT `webhook_deliveries_webhook_id_fkey` FOREIGN KEY (`webhook_id`) REFERENCES `webhooks`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `webhook_deliveries` ADD CONSTRAINT `webhook_deliveries_event_id_fkey` FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `webhook_attempts` ADD CONSTRAINT `webhook_attempts_delivery_id_fkey` FOREIGN KEY (`delivery_id`) REFERENCES `webhook_deliveries`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
