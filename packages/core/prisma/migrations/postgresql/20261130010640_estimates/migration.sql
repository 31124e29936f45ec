-- CreateEnum
CREATE TYPE "PayType" AS ENUM ('customer', 'internal', 'warranty');

-- CreateEnum
CREATE TYPE "LineType" AS ENUM ('labor', 'part', 'fee', 'sublet');

-- AlterTable
ALTER TABLE "service_tickets" ADD COLUMN     "estimate_version" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "shop_settings" (
    "id" INTEGER NOT NULL,
    "shop_name" VARCHAR(100) NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "labor_rate_cents" INTEGER NOT NULL,
    "tax_labor_thousandths" INTEGER NOT NULL,
    "tax_parts_thousandths" INTEGER NOT NULL,
    "tax_fees_thousandths" INTEGER NOT NULL,
    "tax_sublet_thousandths" INTEGER NOT NULL,
    "supplies_percent_thousandths" INTEGER NOT NULL,
    "supplies_cap_cents" INTEGER NOT NULL,
    "supplies_taxable" BOOLEAN NOT NULL,
    "declined_follow_up_days" INTEGER NOT NULL,
    "pricing_version" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "shop_settings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "jobs" (
    "id" SERIAL NOT NULL,
    "service_ticket_id" INTEGER NOT NULL,
    "title" VARCHAR(120) NOT NULL,
    "concern" VARCHAR(2000) NOT NULL DEFAULT '',
    "cause" VARCHAR(2000) NOT NULL DEFAULT '',
    "correction" VARCHAR(2000) NOT NULL DEFAULT '',
    "pay_type" "PayType" NOT NULL DEFAULT 'customer',
    "position" INTEGER NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "jobs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "job_lines" (
    "id" SERIAL NOT NULL,
    "job_id" INTEGER NOT NULL,
    "type" "LineType" NOT NULL,
    "description" VARCHAR(2000) NOT NULL DEFAULT '',
    "hours_hundredths" INTEGER,
    "rate_cents" INTEGER,
    "technician_id" INTEGER,
    "inventory_id" INTEGER,
    "quantity" INTEGER,
    "unit_price_cents" INTEGER,
    "amount_cents" INTEGER,
    "cost_cents" INTEGER,
    "taxable" BOOLEAN NOT NULL DEFAULT true,
    "discount_percent_thousandths" INTEGER,
    "discount_cents" INTEGER,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "job_lines_pkey" PRIMARY KEY ("id")
);

-- Existing part lines: each ticket that has some gets one job, "General", that
-- holds them as part lines, at the unit price and quantity they had.
INSERT INTO "jobs" ("service_ticket_id", "title", "position", "updated_at")
SELECT DISTINCT "service_ticket_id", 'General', 1, CURRENT_TIMESTAMP FROM "ticket_parts";
INSERT INTO "job_lines" ("job_id", "type", "inventory_id", "quantity", "unit_price_cents", "created_at", "updated_at")
SELECT "jobs"."id", 'part'::"LineType", "ticket_parts"."inventory_id", "ticket_parts"."quantity", "ticket_parts"."unit_price_cents", "ticket_parts"."added_at", CURRENT_TIMESTAMP
FROM "ticket_parts" JOIN "jobs" ON "jobs"."service_ticket_id" = "ticket_parts"."service_ticket_id"
ORDER BY "ticket_parts"."service_ticket_id", "ticket_parts"."inventory_id";

-- DropForeignKey
ALTER TABLE "ticket_parts" DROP CONSTRAINT "ticket_parts_inventory_id_fkey";

-- DropForeignKey
ALTER TABLE "ticket_parts" DROP CONSTRAINT "ticket_parts_service_ticket_id_fkey";

-- DropTable
DROP TABLE "ticket_parts";

-- CreateIndex
CREATE INDEX "jobs_service_ticket_id_position_idx" ON "jobs"("service_ticket_id", "position");

-- CreateIndex
CREATE INDEX "job_lines_job_id_id_idx" ON "job_lines"("job_id", "id");

-- CreateIndex
CREATE INDEX "job_lines_inventory_id_idx" ON "job_lines"("inventory_id");

-- CreateIndex
CREATE INDEX "job_lines_technician_id_idx" ON "job_lines"("technician_id");

-- AddForeignKey
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_service_ticket_id_fkey" FOREIGN KEY ("service_ticket_id") REFERENCES "service_tickets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "job_lines" ADD CONSTRAINT "job_lines_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "jobs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "job_lines" ADD CONSTRAINT "job_lines_inventory_id_fkey" FOREIGN KEY ("inventory_id") REFERENCES "inventory"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "job_lines" ADD CONSTRAINT "job_lines_technician_id_fkey" FOREIGN KEY ("technician_id") REFERENCES "mechanics"("id") ON DELETE SET NULL ON UPDATE CASCADE;
