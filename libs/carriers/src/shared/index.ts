export * from './address-diff';
export * from './carrier-webhook-event';
export * from './http-error';
export * from './idempotency-cache';
export * from './money';
export * from './retry';
export * from './unmapped-code';
