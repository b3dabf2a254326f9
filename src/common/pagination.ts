import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsInt, IsOptional, Max, Min } from 'class-validator';

export const MAX_PAGE_SIZE = 200;

/** The recommendations a bulk action applies to: the ones ticked on a page of the list, so at most a page. */
export function RecommendationIdList(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ type: [Number] }),
    IsArray({ message: 'recommendationIds: choose at least one recommendation' }),
    ArrayMinSize(1, { message: 'recommendationIds: choose at least one recommendation' }),
    ArrayMaxSize(MAX_PAGE_SIZE),
    ArrayUnique(),
    IsInt({ each: true, message: 'recommendationIds must hold recommendation ids (whole numbers)' }),
  );
}

export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  page = 1;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  pageSize = 50;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/**
 * The response class of a list, for OpenAPI: `class CyclePage extends PageOf(CycleResponse) {}`.
 * Every list of the API answers this shape.
 */
export function PageOf<T>(item: abstract new (...args: never[]) => T) {
  class PageOfItems implements Page<T> {
    @ApiProperty({ type: [item] }) items: T[];
    @ApiProperty() total: number;
    @ApiProperty() page: number;
    @ApiProperty() pageSize: number;
  }
  return PageOfItems;
}

/** Rows to skip and take for a page. */
export function pageWindow(query: PageQuery): { skip: number; take: number } {
  return { skip: (query.page - 1) * query.pageSize, take: query.pageSize };
}

/** A page of mapped items, saying which page it is. */
export function pageOf<R, T>(rows: R[], total: number, query: PageQuery, map: (row: R) => T): Page<T> {
  return { items: rows.map(map), total, page: query.page, pageSize: query.pageSize };
}
