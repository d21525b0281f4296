import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** ?limit=&cursor= of a cursor-paged list: the page size, and the previous page's nextCursor. */
export class PageRequestDto {
  @ApiPropertyOptional({
    description: `1 to ${MAX_PAGE_SIZE}, default ${DEFAULT_PAGE_SIZE}`,
    example: String(DEFAULT_PAGE_SIZE),
  })
  @IsOptional()
  @IsString()
  @Matches(/^(?:[1-9]|[1-9][0-9]|100)$/, { message: `limit must be an integer from 1 to ${MAX_PAGE_SIZE}` })
  limit?: string;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(120, { message: 'cursor is not one this API returned' })
  cursor?: string;
}

/** The page size asked for, or the default. */
export function pageSize(request: PageRequestDto): number {
  return request.limit ? Number(request.limit) : DEFAULT_PAGE_SIZE;
}
