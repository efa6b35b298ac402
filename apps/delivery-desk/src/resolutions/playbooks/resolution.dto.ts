import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { ACTION_KINDS } from '@app/returns';

export class ChooseResolutionDto {
  @ApiProperty({ enum: ACTION_KINDS, description: 'An action the ticket\'s options offer (see GET …/options).' })
  @IsIn(ACTION_KINDS)
  action: string;
}

export class DeskChooseResolutionDto extends ChooseResolutionDto {
  @ApiProperty({ description: 'The ticket version the choice was made on.' })
  @IsInt()
  @Min(1)
  version: number;
}

export class ApprovalDto {
  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  note?: string;
}
