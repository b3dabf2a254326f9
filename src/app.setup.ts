import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { AppConfig } from '../config/app.config';

export const API_PREFIX = 'api/v1';

/** Everything about the HTTP application that main.ts and the tests must share. */
export function configureApp(app: INestApplication, config: AppConfig): void {
  const express = app as NestExpressApplication;
  express.useBodyParser('json', { limit: config.http.bodyLimitBytes });
  express.useBodyParser('urlencoded', { limit: config.http.bodyLimitBytes, extended: false });
  express.disable('x-powered-by');
  // /health for load balancers and /unsubscribe/<token> for the links in emails sit outside the API prefix.
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health', 'api/v1/health', 'unsubscribe/:token'] });
  app.enableShutdownHooks();

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('upr-followup')
      .setDescription('Follow-up of human-rights recommendations across review cycles. Every route but /health needs "Authorization: Bearer <token>".')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
}
