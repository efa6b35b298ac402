import { Controller, Get, HttpCode } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApiError } from '../common/api-error';
import { pendingMigrations } from '../database/migrator';
import { SkipThrottle } from '@nestjs/throttler';

/** Liveness (the process answers) and readiness (the database answers and its schema is current). */
@ApiTags('health')
@SkipThrottle()
@Controller('health')
export class HealthController {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  @Get('live')
  @ApiOperation({ summary: 'The process is up' })
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @HttpCode(200)
  @ApiOperation({ summary: 'The database is reachable and every migration is applied (503 otherwise)' })
  async ready() {
    let pending: string[];
    try {
      pending = await pendingMigrations(this.ds);
    } catch {
      throw new ApiError(503, 'database_unavailable', 'The database does not answer.');
    }
    if (pending.length) throw new ApiError(503, 'migrations_pending', `Migrations not applied: ${pending.join(', ')}.`);
    return { status: 'ok', database: 'ok', migrations: 'current' };
  }
}
