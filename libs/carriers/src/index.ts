export * from './carrier.model';
export * from './carrier.port';
export * from './carrier.error';
