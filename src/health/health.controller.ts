import { Controller, Get, HttpCode, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Public } from '../auth/auth.decorators';

@ApiTags('health')
// Served at /health for load balancers and at /api/v1/health beside the rest of the API.
@Controller(['health', 'api/v1/health'])
export class HealthController {
  constructor(private readonly dataSource: DataSource) {}

  /** Open to load balancers without a token; says only whether the database answers. */
  @Get()
  @Public()
  @HttpCode(200)
  async check(): Promise<{ status: 'ok'; database: 'up' }> {
    try {
      await this.dataSource.query('SELECT 1');
    } catch {
      throw new ServiceUnavailableException({ statusCode: 503, error: 'Service Unavailable', message: 'The database does not answer', details: { status: 'error', database: 'down' } });
    }
    return { status: 'ok', database: 'up' };
  }
}
