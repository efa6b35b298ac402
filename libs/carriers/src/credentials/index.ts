export * from './credential-cipher';
export * from './carrier-credential';
