/** Nest token for the database URL in use (the external one, or the embedded one's loopback URL). */
export const DATABASE_URL = Symbol('DATABASE_URL');
