import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { DEFAULT_DIRECTORY_LIMIT, MAX_DIRECTORY_LIMIT } from './search-pattern';

export class DirectorySearchRequestDto {
  @ApiPropertyOptional({
    description: 'Part of a name or email (case-insensitive), or a whole id; empty lists the newest',
    example: 'ada',
  })
  @IsOptional()
  @IsString({ message: 'q must be a string' })
  @MaxLength(200, { message: 'q must be at most 200 characters' })
  q?: string;

  @ApiPropertyOptional({
    description: `1 to ${MAX_DIRECTORY_LIMIT}, default ${DEFAULT_DIRECTORY_LIMIT}`,
    example: '25',
  })
  @IsOptional()
  @IsString()
  @Matches(/^(?:[1-9]|[1-9][0-9]|100)$/, {
    message: `limit must be an integer from 1 to ${MAX_DIRECTORY_LIMIT}`,
  })
  limit?: string;
}
