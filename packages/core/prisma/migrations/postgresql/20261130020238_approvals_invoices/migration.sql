-- CreateEnum
CREATE TYPE "JobAuthorization" AS ENUM ('pending', 'approved', 'declined');

-- CreateEnum
CREATE TYPE "ApprovalMethod" AS ENUM ('portal', 'link', 'in_person', 'phone', 'text', 'email');

-- CreateEnum
CREATE TYPE "ApprovalDecisionKind" AS ENUM ('approve', 'decline');

-- CreateEnum
CREATE TYPE "PaymentMethod" AS ENUM ('cash', 'card', 'check', 'other');

-- AlterTable
ALTER TABLE "jobs" ADD COLUMN     "approval_id" INTEGER,
ADD COLUMN     "authorization" "JobAuthorization" NOT NULL DEFAULT 'pending',
ADD COLUMN     "decided_at" TIMESTAMP(3),
ADD COLUMN     "decline_reason" VARCHAR(500),
ADD COLUMN     "follow_up_on" TIMESTAMP(3),
ADD COLUMN     "revived_at" TIMESTAMP(3),
ADD COLUMN     "revived_into_ticket_id" INTEGER;

-- AlterTable
ALTER TABLE "shop_settings" ADD COLUMN     "invoice_prefix" VARCHAR(12) NOT NULL DEFAULT 'INV-';

-- CreateTable
CREATE TABLE "approvals" (
    "id" SERIAL NOT NULL,
    "service_ticket_id" INTEGER NOT NULL,
    "estimate_version" INTEGER NOT NULL,
    "method" "ApprovalMethod" NOT NULL,
    "recorded_by_kind" "RecordedByKind" NOT NULL,
    "recorded_by_id" INTEGER NOT NULL,
    "contact_name" VARCHAR(100),
    "contact_phone" VARCHAR(32),
    "signature_name" VARCHAR(100) NOT NULL,
    "approved_amount_cents" INTEGER NOT NULL,
    "client_ip" VARCHAR(45) NOT NULL,
    "user_agent" VARCHAR(255) NOT NULL DEFAULT '',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "approvals_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "approval_decisions" (
    "id" SERIAL NOT NULL,
    "approval_id" INTEGER NOT NULL,
    "job_id" INTEGER NOT NULL,
    "job_title" VARCHAR(120) NOT NULL,
    "decision" "ApprovalDecisionKind" NOT NULL,
    "reason" VARCHAR(500),
    "amount_cents" INTEGER NOT NULL,

    CONSTRAINT "approval_decisions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "approval_links" (
    "id" SERIAL NOT NULL,
    "service_ticket_id" INTEGER NOT NULL,
    "token_hash" VARCHAR(64) NOT NULL,
    "estimate_version" INTEGER NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "revoked_at" TIMESTAMP(3),
    "created_by_id" INTEGER NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "approval_links_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "invoice_sequence" (
    "id" INTEGER NOT NULL,
    "last_number" INTEGER NOT NULL,

    CONSTRAINT "invoice_sequence_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "invoices" (
    "id" SERIAL NOT NULL,
    "number" VARCHAR(32) NOT NULL,
    "sequence" INTEGER NOT NULL,
    "service_ticket_id" INTEGER NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "live_ticket_id" INTEGER,
    "issued_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "issued_by_id" INTEGER NOT NULL,
    "snapshot" TEXT NOT NULL,
    "labor_cents" INTEGER NOT NULL,
    "parts_cents" INTEGER NOT NULL,
    "fees_cents" INTEGER NOT NULL,
    "sublet_cents" INTEGER NOT NULL,
    "supplies_cents" INTEGER NOT NULL,
    "discounts_cents" INTEGER NOT NULL,
    "tax_labor_cents" INTEGER NOT NULL,
    "tax_parts_cents" INTEGER NOT NULL,
    "tax_fees_cents" INTEGER NOT NULL,
    "tax_sublet_cents" INTEGER NOT NULL,
    "subtotal_cents" INTEGER NOT NULL,
    "total_cents" INTEGER NOT NULL,
    "voided_at" TIMESTAMP(3),
    "void_reason" VARCHAR(500),
    "voided_by_id" INTEGER,

    CONSTRAINT "invoices_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payments" (
    "id" SERIAL NOT NULL,
    "invoice_id" INTEGER NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    "method" "PaymentMethod" NOT NULL,
    "reference" VARCHAR(100),
    "received_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "recorded_by_id" INTEGER NOT NULL,

    CONSTRAINT "payments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "refunds" (
    "id" SERIAL NOT NULL,
    "payment_id" INTEGER NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    "reason" VARCHAR(500) NOT NULL,
    "refunded_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "recorded_by_id" INTEGER NOT NULL,

    CONSTRAINT "refunds_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "idempotency_keys" (
    "id" SERIAL NOT NULL,
    "scope" VARCHAR(100) NOT NULL,
    "key" VARCHAR(255) NOT NULL,
    "request_hash" VARCHAR(64) NOT NULL,
    "response_status" INTEGER,
    "response_body" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY ("id")
);

-- Existing work: jobs of tickets already started or done were authorized before
-- approvals were recorded, so they count as approved (decided when the ticket last
-- changed) and a completed ticket can be invoiced. Jobs of other tickets stay pending.
UPDATE "jobs" SET "authorization" = 'approved', "decided_at" = (SELECT "updated_at" FROM "service_tickets" WHERE "service_tickets"."id" = "jobs"."service_ticket_id")
WHERE "service_ticket_id" IN (SELECT "id" FROM "service_tickets" WHERE "status" IN ('IN_PROGRESS', 'COMPLETED'));

-- The invoice counter starts at 0: the first invoice is number 1.
INSERT INTO "invoice_sequence" ("id", "last_number") VALUES (1, 0);

-- CreateIndex
CREATE INDEX "approvals_service_ticket_id_id_idx" ON "approvals"("service_ticket_id", "id");

-- CreateIndex
CREATE INDEX "approval_decisions_approval_id_id_idx" ON "approval_decisions"("approval_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "approval_links_token_hash_key" ON "approval_links"("token_hash");

-- CreateIndex
CREATE INDEX "approval_links_service_ticket_id_id_idx" ON "approval_links"("service_ticket_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "invoices_number_key" ON "invoices"("number");

-- CreateIndex
CREATE UNIQUE INDEX "invoices_sequence_key" ON "invoices"("sequence");

-- CreateIndex
CREATE UNIQUE INDEX "invoices_live_ticket_id_key" ON "invoices"("live_ticket_id");

-- CreateIndex
CREATE INDEX "invoices_service_ticket_id_idx" ON "invoices"("service_ticket_id");

-- CreateIndex
CREATE INDEX "invoices_customer_id_id_idx" ON "invoices"("customer_id", "id");

-- CreateIndex
CREATE INDEX "invoices_issued_at_idx" ON "invoices"("issued_at");

-- CreateIndex
CREATE INDEX "payments_invoice_id_id_idx" ON "payments"("invoice_id", "id");

-- CreateIndex
CREATE INDEX "payments_received_at_idx" ON "payments"("received_at");

-- CreateIndex
CREATE INDEX "refunds_payment_id_id_idx" ON "refunds"("payment_id", "id");

-- CreateIndex
CREATE INDEX "refunds_refunded_at_idx" ON "refunds"("refunded_at");

-- CreateIndex
CREATE INDEX "idempotency_keys_expires_at_idx" ON "idempotency_keys"("expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "idempotency_keys_scope_key_key" ON "idempotency_keys"("scope", "key");

-- CreateIndex
CREATE INDEX "jobs_authorization_follow_up_on_idx" ON "jobs"("authorization", "follow_up_on");

-- CreateIndex
CREATE INDEX "jobs_approval_id_idx" ON "jobs"("approval_id");

-- AddForeignKey
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_approval_id_fkey" FOREIGN KEY ("approval_id") REFERENCES "approvals"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "approvals" ADD CONSTRAINT "approvals_service_ticket_id_fkey" FOREIGN KEY ("service_ticket_id") REFERENCES "service_tickets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "approval_decisions" ADD CONSTRAINT "approval_decisions_approval_id_fkey" FOREIGN KEY ("approval_id") REFERENCES "approvals"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "approval_links" ADD CONSTRAINT "approval_links_service_ticket_id_fkey" FOREIGN KEY ("service_ticket_id") REFERENCES "service_tickets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_service_ticket_id_fkey" FOREIGN KEY ("service_ticket_id") REFERENCES "service_tickets"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payments" ADD CONSTRAINT "payments_invoice_id_fkey" FOREIGN KEY ("invoice_id") REFERENCES "invoices"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_payment_id_fkey" FOREIGN KEY ("payment_id") REFERENCES "payments"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
