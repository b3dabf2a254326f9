import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppConfig } from '../config/app.config';
import { fairTurns } from './common/fair-turns';

export const API_PREFIX = 'api/v1';

/** Everything about the HTTP application that main.ts and the tests must share. */
export function configureApp(app: INestApplication, config: AppConfig): void {
  const express = app as NestExpressApplication;
  // First of all: requests start one per turn of the event loop, in arrival order (see fair-turns.ts).
  express.use(fairTurns());
  express.useBodyParser('json', { limit: config.http.bodyLimitBytes });
  express.useBodyParser('urlencoded', { limit: config.http.bodyLimitBytes, extended: false });
  express.disable('x-powered-by');
  // Behind a reverse proxy every request comes from the proxy: only with TRUST_PROXY does req.ip (which
  // the sign-in throttle counts) become the client's address from X-Forwarded-For.
  express.set('trust proxy', config.http.trustProxy);
  express.use(cookieParser());
  express.use(securityHeaders());
  express.use(removeUploadedFiles);
  // The pages' stylesheet and script (copied next to the compiled code by `npm run build`).
  express.useStaticAssets(join(__dirname, 'web', 'public'), { prefix: '/assets/', maxAge: '1h' });
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

/** The web pages' content security policy (see securityHeaders); the benchmark's Fastify contestant sends it too. */
export const STRICT_CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  baseUri: ["'self'"],
  objectSrc: ["'none'"],
};

/**
 * helmet's headers everywhere, each page with a content security policy. The web pages' is strict:
 * only this site's own scripts and styles, no inline script, forms post only here, no framing.
 * The API documentation (Swagger UI) loads only its own scripts too, but writes inline styles (a
 * <style> block and style attributes in its page): its policy allows inline styles, never inline
 * script, and nothing from another site.
 */
function securityHeaders() {
  const strict = STRICT_CONTENT_SECURITY_POLICY;
  const pages = helmet({ contentSecurityPolicy: { useDefaults: false, directives: strict } });
  const docs = helmet({ contentSecurityPolicy: { useDefaults: false, directives: { ...strict, styleSrc: ["'self'", "'unsafe-inline'"] } } });
  return (req: Request, res: Response, next: NextFunction) => (req.path.startsWith('/api/docs') ? docs(req, res, next) : pages(req, res, next));
}

/**
 * Uploads are written to temporary files (common/upload-options.ts): whatever became of the request,
 * its file is deleted once the response has ended. A file already moved into the evidence store is
 * gone from there, which is fine.
 */
function removeUploadedFiles(request: Request, response: Response, next: NextFunction): void {
  response.on('close', () => {
    const path = (request as Request & { file?: { path?: string } }).file?.path;
    if (path) unlink(path).catch(() => undefined);
  });
  next();
}
