export { appRouter, listProcedures, type AppRouter, type ProcedureEntry, type RouterInputs, type RouterOutputs } from './router.ts';
export { createCaller, createDocumentCaller, type Caller } from './caller.ts';
export { documentCaller, documentRouter } from './documents/document.router.ts';
export type { PdfFile } from './documents/document.schemas.ts';
export type { AppServices, Logger } from './app-services.ts';
export { createContext, type RequestContext, type RequestInfo, type ResponseHeaders } from './trpc/context.ts';
export type { ErrorData } from './trpc/init.ts';
export type { Access, ProcedureMeta } from './trpc/meta.ts';
export { createServices, type AppSettings, type RunningServices } from './services.ts';
export { AppError, describeFieldErrors, PROBLEMS, type FieldError, type ProblemCode } from './errors.ts';
export { openDatabase, type Database, type DatabaseHandle, type DatabaseSettings } from './db/client.ts';
export { mysqlTlsOf, type MysqlTls } from './db/mysql-settings.ts';
export { providerOf, PROVIDERS, sqlitePath, type Provider } from './db/provider.ts';
export { migrateDatabase, resolveMigration, MigrationError, type MigrationReport } from './db/migrate.ts';
export { isDatabaseUnavailable } from './db/errors.ts';
export type { Principal, Role, StaffPrincipal, TokenSettings } from './auth/tokens.ts';
export {
  DEFAULT_RATE_LIMITS,
  rateLimitedDetail,
  type Quota,
  type RateLimitVerdict,
  type RateLimitPolicy,
  type RateLimitSettings,
} from './rate-limit/limiter.ts';
export { DEFAULT_CACHE_SETTINGS, RESOURCES, type CacheSettings, type Resource } from './cache/response-cache.ts';
export { DEFAULT_APPROVAL_LINK_SETTINGS, type ApprovalLinkSettings } from './approval-links/approval-link.service.ts';
export type { CachePolicy, ReadRoute, RouteDefinition, WriteRoute } from './trpc/meta.ts';
export { DEFAULT_WEBHOOK_SETTINGS, startDeliveryWorker, type WebhookSettings } from './webhooks/webhook.delivery.ts';
export { DEFAULT_IDEMPOTENCY_SETTINGS, type IdempotencySettings } from './idempotency/idempotency.service.ts';
export { IDEMPOTENCY_KEY_HEADER, IDEMPOTENT_REPLAYED_HEADER, MAX_IDEMPOTENCY_KEY_LENGTH } from './idempotency/idempotency-key.ts';
export { DEMO_CUSTOMER, DEMO_MECHANIC, DEMO_SERVICE_WRITER, DEMO_TECHNICIAN, seedDemoShop, type SeedReport } from './demo/demo-shop.ts';
export { NewMechanic, StaffRole, type Mechanic } from './mechanics/mechanic.schemas.ts';
export { openShop } from './mechanics/mechanic.service.ts';
export { answerKey } from './trpc/middleware/cache.ts';
export { describeStaffRoles } from './trpc/middleware/access.ts';
export { MAX_INPUT_DEPTH, nestedDeeperThan } from './shared/input-depth.ts';
export { MAX_BATCH_SIZE } from './trpc/batch.ts';
export { checkVin, decodeVin, expectedCheckDigit, normalizeVin, type VinCheck } from './vehicles/vin.ts';
export { VinDecoded } from './vehicles/vin.schemas.ts';
export {
  CATEGORIES,
  laborAmountCents,
  MAX_ESTIMATE_CENTS,
  priceEstimate,
  type Category,
  type EngineJob,
  type EngineLine,
  type EngineSettings,
  type EstimateTotals,
  type LineDiscount,
  type PricedJob,
  type PricedLine,
  type Totals,
} from './estimates/money-engine.ts';
export { formatPercent, MAX_PERCENT_THOUSANDTHS, parsePercent, Percent, PercentInput } from './shared/percent.ts';
export { EVENT_TYPES, type EventType } from './events/outbox.ts';
// The event catalogue's zod schemas are exported from '@mechanic-shop/core/event-catalogue': from here their
// types would reach the SDK's bundled declarations, which must not depend on zod.
export { publishAllEvents, startEventPublisher, type EventPublisherOptions } from './events/publisher.ts';
export type { BackgroundRunner } from './events/background-runner.ts';
