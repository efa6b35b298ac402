export * from './ups.adapter';
export * from './ups.client';
export * from './ups.mapper';
export * from './ups.status-map';
export * from './ups.webhook';
export type * from './ups.types';
