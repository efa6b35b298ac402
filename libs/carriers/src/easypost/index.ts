export * from './easypost.adapter';
export * from './easypost.client';
export * from './easypost.mapper';
export * from './easypost.webhook';
export type * from './easypost.types';
