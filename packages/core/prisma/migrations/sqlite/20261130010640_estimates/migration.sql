-- CreateTable
CREATE TABLE "shop_settings" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop_name" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
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
    "updated_at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "jobs" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "service_ticket_id" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "concern" TEXT NOT NULL DEFAULT '',
    "cause" TEXT NOT NULL DEFAULT '',
    "correction" TEXT NOT NULL DEFAULT '',
    "pay_type" TEXT NOT NULL DEFAULT 'customer',
    "position" INTEGER NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL,
    CONSTRAINT "jobs_service_ticket_id_fkey" FOREIGN KEY ("service_ticket_id") REFERENCES "service_tickets" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "job_lines" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "job_id" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
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
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL,
    CONSTRAINT "job_lines_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "jobs" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "job_lines_inventory_id_fkey" FOREIGN KEY ("inventory_id") REFERENCES "inventory" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "job_lines_technician_id_fkey" FOREIGN KEY ("technician_id") REFERENCES "mechanics" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- Existing part lines: each ticket that has some gets one job, "General", that
-- holds them as part lines, at the unit price and quantity they had.
INSERT INTO "jobs" ("service_ticket_id", "title", "position", "updated_at")
SELECT DISTINCT "service_ticket_id", 'General', 1, CURRENT_TIMESTAMP FROM "ticket_parts";
INSERT INTO "job_lines" ("job_id", "type", "inventory_id", "quantity", "unit_price_cents", "created_at", "updated_at")
SELECT "jobs"."id", 'part', "ticket_parts"."inventory_id", "ticket_parts"."quantity", "ticket_parts"."unit_price_cents", "ticket_parts"."added_at", CURRENT_TIMESTAMP
FROM "ticket_parts" JOIN "jobs" ON "jobs"."service_ticket_id" = "ticket_parts"."service_ticket_id"
ORDER BY "ticket_parts"."service_ticket_id", "ticket_parts"."inventory_id";

-- DropIndex
DROP INDEX "ticket_parts_inventory_id_idx";

-- DropTable
PRAGMA foreign_keys=off;
DROP TABLE "ticket_parts";
PRAGMA foreign_keys=on;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_service_tickets" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "customer_id" INTEGER NOT NULL,
    "vehicle_id" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "service_date" DATETIME NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "cost_cents" INTEGER NOT NULL DEFAULT 0,
    "odometer_in" INTEGER,
    "odometer_out" INTEGER,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL,
    "estimate_version" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "service_tickets_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "service_tickets_vehicle_id_fkey" FOREIGN KEY ("vehicle_id") REFERENCES "vehicles" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_service_tickets" ("cost_cents", "created_at", "customer_id", "description", "id", "odometer_in", "odometer_out", "service_date", "status", "title", "updated_at", "vehicle_id") SELECT "cost_cents", "created_at", "customer_id", "description", "id", "odometer_in", "odometer_out", "service_date", "status", "title", "updated_at", "vehicle_id" FROM "service_tickets";
DROP TABLE "service_tickets";
ALTER TABLE "new_service_tickets" RENAME TO "service_tickets";
CREATE INDEX "service_tickets_customer_id_id_idx" ON "service_tickets"("customer_id", "id");
CREATE INDEX "service_tickets_status_id_idx" ON "service_tickets"("status", "id");
CREATE INDEX "service_tickets_vehicle_id_id_idx" ON "service_tickets"("vehicle_id", "id");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "jobs_service_ticket_id_position_idx" ON "jobs"("service_ticket_id", "position");

-- CreateIndex
CREATE INDEX "job_lines_job_id_id_idx" ON "job_lines"("job_id", "id");

-- CreateIndex
CREATE INDEX "job_lines_inventory_id_idx" ON "job_lines"("inventory_id");

-- CreateIndex
CREATE INDEX "job_lines_technician_id_idx" ON "job_lines"("technician_id");
