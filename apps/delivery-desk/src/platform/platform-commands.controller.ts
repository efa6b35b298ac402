import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { MerchantId, RequireScopes } from '../auth/auth.decorators';
import { ApiError } from '../common/api-error';
import { ApiResult } from '../common/api-result';
import type { DeskRequest } from '../common/http-context';
import type { CommandActor } from './platform-command-event.entity';
import { ConfirmPlatformCommandDto, FailPlatformCommandDto, ListPlatformCommandsQueryDto } from './platform-command.dto';
import { PlatformCommandReader } from './platform-command.reader';
import { PlatformCommandsService } from './platform-commands.service';

// A malformed id cannot name a command of this merchant: 404, like any other id it does not own.
const commandId = new ParseUUIDPipe({ exceptionFactory: () => ApiError.notFound('Platform command') });
const platformActor = (req: DeskRequest): CommandActor => ({ kind: 'platform', id: req.principal?.kind === 'merchant' ? req.principal.apiKeyId : null });

/**
 * Platform API for commands: read them (a platform may poll instead of, or as well as, taking the
 * webhooks), confirm or fail them, and ask for a redelivery. Scoped to the API key's merchant:
 * another merchant's command is 404.
 */
@ApiTags('platform commands')
@ApiBearerAuth('apiKey')
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Makes a POST safe to retry: a replay returns the first response.' })
@UseGuards(ApiKeyGuard)
@Controller('v1/platform-commands')
export class PlatformCommandsController {
  constructor(
    private readonly commands: PlatformCommandsService,
    private readonly reader: PlatformCommandReader,
  ) {}

  @Get()
  @RequireScopes('orders:read')
  @ApiOperation({ summary: 'List commands, newest first (filter by status, order external id, ticket)' })
  list(@MerchantId() merchantId: string, @Query() query: ListPlatformCommandsQueryDto) {
    return this.reader.page(merchantId, query);
  }

  @Get(':id')
  @RequireScopes('orders:read')
  @ApiOperation({ summary: 'A command with its delivery attempts and history' })
  get(@MerchantId() merchantId: string, @Param('id', commandId) id: string) {
    return this.reader.detail(merchantId, id);
  }

  @Post(':id/confirm')
  @RequireScopes('orders:write')
  @ApiOperation({ summary: 'Report the command done (200; the same reference again is a no-op; 409 if failed or cancelled; 422 on an amount mismatch)' })
  async confirm(@MerchantId() merchantId: string, @Param('id', commandId) id: string, @Body() dto: ConfirmPlatformCommandDto, @Req() req: DeskRequest) {
    const { command } = await this.commands.confirm(merchantId, id, dto, platformActor(req));
    return ApiResult.ok(await this.reader.view(command));
  }

  @Post(':id/fail')
  @RequireScopes('orders:write')
  @ApiOperation({ summary: 'Report the command failed (200; again is a no-op; 409 if confirmed, expired or cancelled)' })
  async fail(@MerchantId() merchantId: string, @Param('id', commandId) id: string, @Body() dto: FailPlatformCommandDto, @Req() req: DeskRequest) {
    const { command } = await this.commands.fail(merchantId, id, dto, platformActor(req));
    return ApiResult.ok(await this.reader.view(command));
  }

  @Post(':id/redeliver')
  @RequireScopes('orders:write')
  @ApiOperation({ summary: 'Send the webhook again under the same event id (202)' })
  async redeliver(@MerchantId() merchantId: string, @Param('id', commandId) id: string, @Req() req: DeskRequest) {
    const command = await this.commands.requestDelivery(merchantId, id, platformActor(req), 'redeliver');
    return ApiResult.of(202, await this.reader.view(command));
  }
}
