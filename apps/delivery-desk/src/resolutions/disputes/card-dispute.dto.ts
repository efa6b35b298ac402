import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { CARD_NETWORKS } from '@app/returns';
import type { CardNetwork } from '@app/returns';
import { MoneyMinor } from '../../common/validators';
import { DISPUTE_CATEGORIES, DISPUTE_STATUSES } from './card-dispute.entity';
import type { DisputeCategory, DisputeStatus } from './card-dispute.entity';

/**
 * A card dispute as the platform relays it from its payment processor. Posting the same `disputeId`
 * again updates it (e.g. `open` → `lost`); a closed dispute does not reopen.
 */
export class CardDisputeDto {
  @ApiProperty({ description: "The processor's dispute id, e.g. Stripe `dp_...`.", example: 'dp_1PqR2sT3' })
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,119}$/, { message: 'disputeId must be 1-120 letters, digits, dots, colons, dashes or underscores' })
  disputeId: string;

  @ApiProperty({ enum: CARD_NETWORKS })
  @IsIn(CARD_NETWORKS, { message: `network must be one of ${CARD_NETWORKS.join(', ')}` })
  network: CardNetwork;

  @ApiProperty({ description: "The network's reason code, e.g. Visa `13.1`, Mastercard `4853`.", example: '13.1' })
  @IsString()
  @Matches(/^[A-Za-z0-9._-]{1,32}$/, { message: 'reasonCode must be 1-32 letters, digits, dots or dashes' })
  reasonCode: string;

  @ApiProperty({ enum: DISPUTE_CATEGORIES })
  @IsIn(DISPUTE_CATEGORIES, { message: `category must be one of ${DISPUTE_CATEGORIES.join(', ')}` })
  category: DisputeCategory;

  @ApiProperty({ description: 'When the processor notified the merchant (ISO 8601).' })
  @IsDateString({ strict: true }, { message: 'noticeAt must be an ISO 8601 date-time' })
  noticeAt: string;

  @ApiProperty({ enum: DISPUTE_STATUSES })
  @IsIn(DISPUTE_STATUSES, { message: `status must be one of ${DISPUTE_STATUSES.join(', ')}` })
  status: DisputeStatus;

  @MoneyMinor('Disputed amount in minor units of the order currency; above 0, at most the order total.')
  amountMinor: number;

  @ApiPropertyOptional({ description: 'Response deadline, YYYY-MM-DD.' })
  @IsOptional()
  @IsString()
  @MaxLength(10)
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'respondBy must be YYYY-MM-DD' })
  respondBy?: string | null;
}
