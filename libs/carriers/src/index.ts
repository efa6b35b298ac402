export * from './carrier.model';
export * from './carrier.port';
export * from './carrier.error';
export * from './ups';
export * from './credentials';
export * from './easypost';
export * from './sandbox';
export * from './shared';
