import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import type { Logger as Pino } from 'pino';
import { DataSource } from 'typeorm';
import { AppModule } from './app.module';
import { Clock } from './common/clock';
import type { DeskRequest } from './common/http-context';
import { createRootLogger, PinoNestLogger } from './common/logger';
import { createValidationPipe } from './common/validation';
import { Settings } from './config/settings';
import { runMigrationsLocked } from './database/migrator';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/**
 * Builds the Nest application on fastify without listening: shared by `main.ts` and the end-to-end
 * tests, so both run exactly the same pipeline (validation, errors, idempotency, docs).
 */
export async function createApp(
  settings: Settings,
  databaseUrl: string,
  pino: Pino = createRootLogger(settings.logLevel),
  clock?: Clock,
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    loggerInstance: pino,
    bodyLimit: settings.bodyLimitBytes,
    // Honour a caller's request id when it is sane, so platform and desk logs line up.
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    trustProxy: true,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot({ settings, databaseUrl, clock }), adapter, {
    logger: new PinoNestLogger(pino),
    rawBody: true,
    bufferLogs: false,
  });
  // A bodiless action (approve, cancel) sent with a JSON content type is still a request, not a
  // malformed body: only a non-empty body is parsed. The raw bytes stay available for signatures.
  app.useBodyParser('application/json', { bodyLimit: settings.bodyLimitBytes }, (req, body, done) => {
    if (body.length === 0) return done(null, undefined);
    const parse = app.getHttpAdapter().getInstance().getDefaultJsonParser('error', 'error');
    parse(req as never, body.toString('utf8'), done);
  });
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();

  const fastify = app.getHttpAdapter().getInstance();
  // Evidence uploads arrive as raw bytes; their type is checked from the bytes, not from this header.
  fastify.addContentTypeParser(
    ['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'application/pdf', 'application/octet-stream'],
    { parseAs: 'buffer', bodyLimit: settings.evidenceMaxBytes },
    (_req, body, done) => done(null, body),
  );
  fastify.addHook('onRequest', async (req, reply) => {
    void reply.header('x-request-id', req.id);
  });
  fastify.addHook('onSend', async (req, reply, payload) => {
    const override = (req as DeskRequest).statusOverride;
    if (override && reply.statusCode < 400) void reply.code(override);
    return payload;
  });

  const docs = new DocumentBuilder()
    .setTitle('Delivery Desk API')
    .setDescription(
      'Platform API (API key), operator API (admin token). Errors: `{ error: { code, message, fields: [{ path, problem }] }, requestId }`. ' +
        'Every POST accepts an `Idempotency-Key` header.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'API key dd_...' }, 'apiKey')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN' }, 'admin')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'Agent session token dds_... from POST /v1/desk/sessions' }, 'agent')
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, docs), { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}

/** Applies pending migrations when configured to; returns their names. */
export async function migrateOnBoot(app: NestFastifyApplication, settings: Settings): Promise<string[]> {
  if (!settings.migrateOnBoot) return [];
  return runMigrationsLocked(app.get(DataSource));
}
