-- CreateEnum
CREATE TYPE "OdometerUnit" AS ENUM ('mi', 'km');

-- CreateEnum
CREATE TYPE "RecordedByKind" AS ENUM ('customer', 'staff');

-- CreateTable
CREATE TABLE "vehicles" (
    "id" SERIAL NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "vin" VARCHAR(17),
    "plate" VARCHAR(16),
    "year" INTEGER,
    "make" VARCHAR(50),
    "model" VARCHAR(50),
    "trim" VARCHAR(50),
    "engine" VARCHAR(50),
    "color" VARCHAR(30),
    "odometer" INTEGER,
    "odometer_unit" "OdometerUnit" NOT NULL DEFAULT 'mi',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "vehicles_pkey" PRIMARY KEY ("id")
);

-- Existing tickets: one vehicle per distinct VIN, owned by the customer of the
-- latest ticket (highest id) with that VIN. Existing VINs are kept as they are,
-- even with a wrong check digit: the VIN rules apply to new writes.
INSERT INTO "vehicles" ("customer_id", "vin", "updated_at")
SELECT "customer_id", "vin", CURRENT_TIMESTAMP FROM "service_tickets" AS "ticket"
WHERE "id" = (SELECT MAX("id") FROM "service_tickets" WHERE "vin" = "ticket"."vin")
ORDER BY "id";

-- AlterTable: every ticket points at the vehicle of its VIN.
ALTER TABLE "service_tickets" ADD COLUMN     "odometer_in" INTEGER,
ADD COLUMN     "odometer_out" INTEGER,
ADD COLUMN     "vehicle_id" INTEGER;
UPDATE "service_tickets" SET "vehicle_id" = "vehicles"."id" FROM "vehicles" WHERE "vehicles"."vin" = "service_tickets"."vin";
ALTER TABLE "service_tickets" ALTER COLUMN "vehicle_id" SET NOT NULL, DROP COLUMN "vin";

-- CreateTable
CREATE TABLE "odometer_readings" (
    "id" SERIAL NOT NULL,
    "vehicle_id" INTEGER NOT NULL,
    "reading" INTEGER NOT NULL,
    "unit" "OdometerUnit" NOT NULL,
    "correction_reason" VARCHAR(255),
    "recorded_by_kind" "RecordedByKind" NOT NULL,
    "recorded_by_id" INTEGER NOT NULL,
    "recorded_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "service_ticket_id" INTEGER,

    CONSTRAINT "odometer_readings_pkey" PRIMARY KEY ("id")
);

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

-- CreateIndex
CREATE INDEX "service_tickets_vehicle_id_id_idx" ON "service_tickets"("vehicle_id", "id");

-- AddForeignKey
ALTER TABLE "vehicles" ADD CONSTRAINT "vehicles_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "odometer_readings" ADD CONSTRAINT "odometer_readings_vehicle_id_fkey" FOREIGN KEY ("vehicle_id") REFERENCES "vehicles"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "odometer_readings" ADD CONSTRAINT "odometer_readings_service_ticket_id_fkey" FOREIGN KEY ("service_ticket_id") REFERENCES "service_tickets"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "service_tickets" ADD CONSTRAINT "service_tickets_vehicle_id_fkey" FOREIGN KEY ("vehicle_id") REFERENCES "vehicles"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
