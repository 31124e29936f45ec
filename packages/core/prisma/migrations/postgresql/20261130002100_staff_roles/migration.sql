-- CreateEnum
CREATE TYPE "StaffRole" AS ENUM ('owner', 'service_writer', 'technician');

-- AlterTable
ALTER TABLE "mechanics" ADD COLUMN     "role" "StaffRole" NOT NULL DEFAULT 'technician';

-- Existing shops: the account that opened the shop (the lowest id) owns it, the
-- other staff keep today's powers, managing staff aside, as service writers.
UPDATE "mechanics" SET "role" = CASE WHEN "id" = (SELECT MIN("id") FROM "mechanics") THEN 'owner'::"StaffRole" ELSE 'service_writer'::"StaffRole" END;
