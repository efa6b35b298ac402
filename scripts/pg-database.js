#!/usr/bin/env node
// Creates or drops a database on a PostgreSQL server: `node scripts/pg-database.js create|drop <server-url> <name>`.
const { Client } = require('pg');

async function main() {
  const [action, server, name] = process.argv.slice(2);
  if (!['create', 'drop'].includes(action) || !server || !/^[a-z0-9_]+$/.test(name ?? '')) {
    throw new Error('usage: pg-database.js create|drop <postgres://server> <name>');
  }
  const client = new Client({ connectionString: `${server.replace(/\/$/, '')}/postgres` });
  await client.connect();
  try {
    if (action === 'create') await client.query(`CREATE DATABASE "${name}"`);
    else await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
