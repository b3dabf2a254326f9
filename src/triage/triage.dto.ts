import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, Max, Min } from 'class-validator';
import type { TestimonyLinkRow } from '../evidence/testimony-evidence';
import type { TestimonyState } from '../vocabulary/testimony.vocabulary';

const IDS_HELP = 'recommendationIds must be a list of 1 to 50 recommendation ids of the coalition';

export class LinkTestimonyDto {
  @ApiProperty({ type: [Number], example: [12, 15] })
  @IsArray({ message: IDS_HELP })
  @ArrayMinSize(1, { message: IDS_HELP })
  @ArrayMaxSize(50, { message: IDS_HELP })
  @Type(() => Number)
  @IsInt({ each: true, message: IDS_HELP })
  @Min(1, { each: true, message: IDS_HELP })
  @Max(2_147_483_647, { each: true, message: IDS_HELP })
  recommendationIds: number[];
}

export class TestimonyLinkResponse {
  @ApiProperty() recommendationId: number;
  @ApiProperty({ description: 'The confidential evidence item of kind testimony that is the link' }) evidenceId: number;
  @ApiProperty() linkedAt: string;
}

export class TestimonyLinksResponse {
  @ApiProperty() testimonyId: number;
  @ApiProperty() state: TestimonyState;
  /** Never many (a testimony is linked by hand): the whole list, not a page. */
  @ApiProperty({ type: [TestimonyLinkResponse] }) links: TestimonyLinkResponse[];
}

export function mapTestimonyLinks(testimonyId: number, state: TestimonyState, links: TestimonyLinkRow[]): TestimonyLinksResponse {
  return {
    testimonyId,
    state,
    links: links.map((link) => ({ recommendationId: link.recommendationId, evidenceId: link.evidenceId, linkedAt: link.createdAt.toISOString() })),
  };
}
