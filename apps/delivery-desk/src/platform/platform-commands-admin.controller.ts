import { Controller, Get, Param, ParseUUIDPipe, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminGuard } from '../auth/admin.guard';
import { ApiError } from '../common/api-error';
import { ApiResult } from '../common/api-result';
import type { CommandActor } from './platform-command-event.entity';
import { ListPlatformCommandsQueryDto } from './platform-command.dto';
import { PlatformCommandReader } from './platform-command.reader';
import { PlatformCommandsService } from './platform-commands.service';

const merchantUuid = new ParseUUIDPipe({ exceptionFactory: () => ApiError.notFound('Merchant') });
const commandUuid = new ParseUUIDPipe({ exceptionFactory: () => ApiError.notFound('Platform command') });
const OPERATOR: CommandActor = { kind: 'operator', id: null };

/** Operator endpoints: see a merchant's commands and their deliveries, and replay one. */
@ApiTags('admin')
@ApiBearerAuth('admin')
@UseGuards(AdminGuard)
@Controller('admin/merchants/:merchantId/platform-commands')
export class PlatformCommandsAdminController {
  constructor(
    private readonly commands: PlatformCommandsService,
    private readonly reader: PlatformCommandReader,
  ) {}

  @Get()
  @ApiOperation({ summary: "List a merchant's platform commands, newest first" })
  list(@Param('merchantId', merchantUuid) merchantId: string, @Query() query: ListPlatformCommandsQueryDto) {
    return this.reader.page(merchantId, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A platform command with its delivery attempts and history' })
  get(@Param('merchantId', merchantUuid) merchantId: string, @Param('id', commandUuid) id: string) {
    return this.reader.detail(merchantId, id);
  }

  @Post(':id/replay')
  @ApiOperation({ summary: 'Send the webhook again under the same event id, with a fresh retry budget (202)' })
  async replay(@Param('merchantId', merchantUuid) merchantId: string, @Param('id', commandUuid) id: string) {
    const command = await this.commands.requestDelivery(merchantId, id, OPERATOR, 'replay');
    return ApiResult.of(202, await this.reader.view(command));
  }
}
