-- CreateTable
CREATE TABLE "approvals" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "service_ticket_id" INTEGER NOT NULL,
    "estimate_version" INTEGER NOT NULL,
    "method" TEXT NOT NULL,
    "recorded_by_kind" TEXT NOT NULL,
    "recorded_by_id" INTEGER NOT NULL,
    "contact_name" TEXT,
    "contact_phone" TEXT,
    "signature_name" TEXT NOT NULL,
    "approved_amount_cents" INTEGER NOT NULL,
    "client_ip" TEXT NOT NULL,
    "user_agent" TEXT NOT NULL DEFAULT '',
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "approvals_service_ticket_id_fkey" FOREIGN KEY ("service_ticket_id") REFERENCES "service_tickets" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "approval_decisions" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "approval_id" INTEGER NOT NULL,
    "job_id" INTEGER NOT NULL,
    "job_title" TEXT NOT NULL,
    "decision" TEXT NOT NULL,
    "reason" TEXT,
    "amount_cents" INTEGER NOT NULL,
    CONSTRAINT "approval_decisions_approval_id_fkey" FOREIGN KEY ("approval_id") REFERENCES "approvals" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "approval_links" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "service_ticket_id" INTEGER NOT NULL,
    "token_hash" TEXT NOT NULL,
    "estimate_version" INTEGER NOT NULL,
    "expires_at" DATETIME NOT NULL,
    "revoked_at" DATETIME,
    "created_by_id" INTEGER NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "approval_links_service_ticket_id_fkey" FOREIGN KEY ("service_ticket_id") REFERENCES "service_tickets" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "invoice_sequence" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "last_number" INTEGER NOT NULL
);

-- CreateTable
CREATE TABLE "invoices" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "number" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "service_ticket_id" INTEGER NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "live_ticket_id" INTEGER,
    "issued_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
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
    "voided_at" DATETIME,
    "void_reason" TEXT,
    "voided_by_id" INTEGER,
    CONSTRAINT "invoices_service_ticket_id_fkey" FOREIGN KEY ("service_ticket_id") REFERENCES "service_tickets" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "invoices_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "payments" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "invoice_id" INTEGER NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    "method" TEXT NOT NULL,
    "reference" TEXT,
    "received_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "recorded_by_id" INTEGER NOT NULL,
    CONSTRAINT "payments_invoice_id_fkey" FOREIGN KEY ("invoice_id") REFERENCES "invoices" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "refunds" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "payment_id" INTEGER NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "refunded_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "recorded_by_id" INTEGER NOT NULL,
    CONSTRAINT "refunds_payment_id_fkey" FOREIGN KEY ("payment_id") REFERENCES "payments" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "idempotency_keys" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "scope" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "response_status" INTEGER,
    "response_body" TEXT,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" DATETIME NOT NULL
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_jobs" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "service_ticket_id" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "concern" TEXT NOT NULL DEFAULT '',
    "cause" TEXT NOT NULL DEFAULT '',
    "correction" TEXT NOT NULL DEFAULT '',
    "pay_type" TEXT NOT NULL DEFAULT 'customer',
    "position" INTEGER NOT NULL,
    "authorization" TEXT NOT NULL DEFAULT 'pending',
    "decided_at" DATETIME,
    "approval_id" INTEGER,
    "decline_reason" TEXT,
    "follow_up_on" DATETIME,
    "revived_at" DATETIME,
    "revived_into_ticket_id" INTEGER,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL,
    CONSTRAINT "jobs_service_ticket_id_fkey" FOREIGN KEY ("service_ticket_id") REFERENCES "service_tickets" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "jobs_approval_id_fkey" FOREIGN KEY ("approval_id") REFERENCES "approvals" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_jobs" ("cause", "concern", "correction", "created_at", "id", "pay_type", "position", "service_ticket_id", "title", "updated_at") SELECT "cause", "concern", "correction", "created_at", "id", "pay_type", "position", "service_ticket_id", "title", "updated_at" FROM "jobs";
DROP TABLE "jobs";
ALTER TABLE "new_jobs" RENAME TO "jobs";
CREATE INDEX "jobs_service_ticket_id_position_idx" ON "jobs"("service_ticket_id", "position");
CREATE INDEX "jobs_authorization_follow_up_on_idx" ON "jobs"("authorization", "follow_up_on");
CREATE INDEX "jobs_approval_id_idx" ON "jobs"("approval_id");
CREATE TABLE "new_shop_settings" (
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
    "invoice_prefix" TEXT NOT NULL DEFAULT 'INV-',
    "pricing_version" INTEGER NOT NULL DEFAULT 0,
    "updated_at" DATETIME NOT NULL
);
INSERT INTO "new_shop_settings" ("currency", "declined_follow_up_days", "id", "labor_rate_cents", "pricing_version", "shop_name", "supplies_cap_cents", "supplies_percent_thousandths", "supplies_taxable", "tax_fees_thousandths", "tax_labor_thousandths", "tax_parts_thousandths", "tax_sublet_thousandths", "updated_at") SELECT "currency", "declined_follow_up_days", "id", "labor_rate_cents", "pricing_version", "shop_name", "supplies_cap_cents", "supplies_percent_thousandths", "supplies_taxable", "tax_fees_thousandths", "tax_labor_thousandths", "tax_parts_thousandths", "tax_sublet_thousandths", "updated_at" FROM "shop_settings";
DROP TABLE "shop_settings";
ALTER TABLE "new_shop_settings" RENAME TO "shop_settings";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

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
