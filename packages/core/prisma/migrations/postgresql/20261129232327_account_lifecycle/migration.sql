-- AlterTable
ALTER TABLE "customers" ADD COLUMN     "erased_at" TIMESTAMP(3),
ADD COLUMN     "token_version" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "mechanics" ADD COLUMN     "token_version" INTEGER NOT NULL DEFAULT 0;
