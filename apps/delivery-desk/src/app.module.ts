import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiResultInterceptor } from './common/api-result.interceptor';
import { GlobalExceptionFilter } from './common/global-exception.filter';
import { SecretsService } from './common/secrets.service';
import { CredentialThrottlerGuard } from './common/throttler.guard';
import { Clock, SystemClock } from './common/clock';
import { SETTINGS, Settings } from './config/settings';
import { DATABASE_URL } from './database/database.tokens';
import { JobsModule } from './jobs/jobs.module';
import { dataSourceOptions } from './database/data-source';
import { DemoSeeder } from './demo/demo.seeder';
import { HealthController } from './health/health.controller';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor';
import { IdempotencyService } from './idempotency/idempotency.service';
import { MerchantsModule } from './merchants/merchants.module';
import { OrdersModule } from './orders/orders.module';
import { TrackingModule } from './tracking/tracking.module';
import { TicketsModule } from './tickets/tickets.module';
import { ResolutionsModule } from './resolutions/resolutions.module';
import { PlatformModule } from './platform/platform.module';
import { PlaybooksModule } from './resolutions/playbooks/playbooks.module';
import { CompensationModule } from './resolutions/compensation.module';
import { SelfServiceModule } from './self-service/self-service.module';

@Global()
@Module({})
class CoreModule {
  static forRoot(settings: Settings, databaseUrl: string, clock: Clock): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: SETTINGS, useValue: settings },
        { provide: DATABASE_URL, useValue: databaseUrl },
        { provide: Clock, useValue: clock },
        SecretsService,
        IdempotencyService,
      ],
      exports: [SETTINGS, DATABASE_URL, Clock, SecretsService, IdempotencyService],
    };
  }
}

/** The whole service. `databaseUrl` is the external Postgres or the embedded one's loopback URL. */
@Module({})
export class AppModule {
  static forRoot(opts: { settings: Settings; databaseUrl: string; clock?: Clock }): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(opts.settings, opts.databaseUrl, opts.clock ?? new SystemClock()),
        JobsModule,
        TypeOrmModule.forRoot({ ...dataSourceOptions(opts.databaseUrl, opts.settings.database.poolSize), retryAttempts: 3, retryDelay: 500 }),
        ThrottlerModule.forRoot({ throttlers: [{ name: 'default', ttl: 60_000, limit: opts.settings.rateLimit.perMinute }] }),
        MerchantsModule,
        OrdersModule,
        TrackingModule,
        TicketsModule,
        // @tickets-module
        ResolutionsModule,
        // @resolutions-module
        PlatformModule,
        // @platform-module
        PlaybooksModule,
        CompensationModule,
        SelfServiceModule,
      ],
      controllers: [HealthController],
      providers: [
        DemoSeeder,
        { provide: APP_FILTER, useClass: GlobalExceptionFilter },
        { provide: APP_GUARD, useClass: CredentialThrottlerGuard },
        // Order matters: idempotency wraps the result unwrapping, so it stores the final status.
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        { provide: APP_INTERCEPTOR, useClass: ApiResultInterceptor },
      ],
    };
  }
}
