import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../../auth/auth.decorators';
import { CalendarFeedService } from './calendar-feed.service';

/**
 * The personal calendar subscription, fetched by calendar apps that have no session: public, the
 * signed URL is the credential. A wrong, outdated or reset URL is a plain 404 (no hint why).
 */
@Controller('calendar')
@ApiExcludeController()
export class CalendarFeedController {
  constructor(private readonly feeds: CalendarFeedService) {}

  @Get(':file')
  @Public()
  async feed(@Param('file') file: string, @Res() res: Response): Promise<void> {
    const ics = file.endsWith('.ics') ? await this.feeds.feed(file.slice(0, -4)) : null;
    if (ics === null) throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: 'There is no calendar at this address; copy the current one from My settings.' });
    res.status(200).type('text/calendar; charset=utf-8').setHeader('Cache-Control', 'private, max-age=300');
    res.send(ics);
  }
}
