-- CreateTable
CREATE TABLE "vehicles" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "customer_id" INTEGER NOT NULL,
    "vin" TEXT,
    "plate" TEXT,
    "year" INTEGER,
    "make" TEXT,
    "model" TEXT,
    "trim" TEXT,
    "engine" TEXT,
    "color" TEXT,
    "odometer" INTEGER,
    "odometer_unit" TEXT NOT NULL DEFAULT 'mi',
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL,
    CONSTRAINT "vehicles_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- Existing tickets: one vehicle per distinct VIN, owned by the customer of the
-- latest ticket (highest id) with that VIN. Existing VINs are kept as they are,
-- even with a wrong check digit: the VIN rules apply to new writes.
INSERT INTO "vehicles" ("customer_id", "vin", "updated_at")
SELECT "customer_id", "vin", CURRENT_TIMESTAMP FROM "service_tickets" AS "ticket"
WHERE "id" = (SELECT MAX("id") FROM "service_tickets" WHERE "vin" = "ticket"."vin")
ORDER BY "id";

-- CreateTable
CREATE TABLE "odometer_readings" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "vehicle_id" INTEGER NOT NULL,
    "reading" INTEGER NOT NULL,
    "unit" TEXT NOT NULL,
    "correction_reason" TEXT,
    "recorded_by_kind" TEXT NOT NULL,
    "recorded_by_id" INTEGER NOT NULL,
    "recorded_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "service_ticket_id" INTEGER,
    CONSTRAINT "odometer_readings_vehicle_id_fkey" FOREIGN KEY ("vehicle_id") REFERENCES "vehicles" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "odometer_readings_service_ticket_id_fkey" FOREIGN KEY ("service_ticket_id") REFERENCES "service_tickets" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

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
    CONSTRAINT "service_tickets_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "service_tickets_vehicle_id_fkey" FOREIGN KEY ("vehicle_id") REFERENCES "vehicles" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
-- Every ticket points at the vehicle of its VIN.
INSERT INTO "new_service_tickets" ("cost_cents", "created_at", "customer_id", "description", "id", "service_date", "status", "title", "updated_at", "vehicle_id") SELECT "cost_cents", "service_tickets"."created_at", "service_tickets"."customer_id", "description", "service_tickets"."id", "service_date", "status", "title", "service_tickets"."updated_at", "vehicles"."id" FROM "service_tickets" JOIN "vehicles" ON "vehicles"."vin" = "service_tickets"."vin";
DROP TABLE "service_tickets";
ALTER TABLE "new_service_tickets" RENAME TO "service_tickets";
CREATE INDEX "service_tickets_customer_id_id_idx" ON "service_tickets"("customer_id", "id");
CREATE INDEX "service_tickets_status_id_idx" ON "service_tickets"("status", "id");
CREATE INDEX "service_tickets_vehicle_id_id_idx" ON "service_tickets"("vehicle_id", "id");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "vehicles_vin_key" ON "vehicles"("vin");

-- CreateIndex
CREATE INDEX "vehicles_customer_id_id_idx" ON "vehicles"("customer_id", "id");

-- CreateIndex
CREATE INDEX "vehicles_plate_idx" ON "vehicles"("plate");

-- CreateIndex
CREATE INDEX "odometer_readings_vehicle_id_id_idx" ON "odometer_readings"("vehicle_id", "id");

-- CreateIndex
CREATE INDEX "odometer_readings_service_ticket_id_idx" ON "odometer_readings"("service_ticket_id");
