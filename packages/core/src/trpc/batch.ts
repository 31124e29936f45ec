/**
 * The most calls one batched tRPC request may carry (the server answers larger
 * ones with a 400). Each call spends its own rate-limit point; this bounds the
 * work one request can queue. The SDK's client splits larger bursts at the same
 * size. A file of its own, importing nothing, so that the SDK's bundle takes
 * this constant and nothing else of the core.
 */
export const MAX_BATCH_SIZE = 50;
