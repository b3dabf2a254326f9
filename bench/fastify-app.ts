// Issue 14: the same application module served by NestJS's Fastify adapter, beside the Express
// application in bench/server.ts, so that bench/http-layer.bench.ts can compare the two on the same
// routes. Benchmark only: the application's production path stays on Express (src/main.ts).
//
// What configureApp (src/app.setup.ts) does, and what this does instead:
// - JSON and urlencoded bodies with the configured limit: Fastify parses JSON itself (bodyLimit);
//   urlencoded (forms, pages only) is left out: it needs @fastify/formbody, not a dependency.
// - x-powered-by: Fastify sends none.
// - trust proxy: Fastify's trustProxy takes the same values (false, a hop count, addresses).
// - cookie-parser: @fastify/cookie (the guard reads request.cookies on pages only).
// - helmet: @fastify/helmet with the pages' strict policy on every route. The Swagger UI's looser
//   policy is left out with Swagger itself (its UI needs @fastify/static, not a dependency).
// - removeUploadedFiles and the /assets/ static files: left out; uploads (multer) and the pages'
//   assets are not on the API routes measured, and static files would need @fastify/static.
// What breaks on Fastify, and the shims below: HttpExceptionFilter answers with Express's
// res.json(), sets Retry-After with res.setHeader() and reads req.path and req.accepts(), which a
// Fastify reply and request lack: without the shims every error answer (400, 401, 403, 404, 409)
// becomes a 500 carrying the filter's own TypeError. Fastify's JSON parse errors are not
// body-parser's, so a malformed body gets Fastify's message instead of the application's (still a
// 400). The pages are not served alike: their filter's res.redirect(303, url) is Express's
// argument order, csrf-csrf reads req.is(), and multer does not run under Fastify's parsers.
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/app.config';
import { AppModule, type AppModuleOptions } from '../src/app.module';
import { STRICT_CONTENT_SECURITY_POLICY as STRICT_POLICY } from '../src/app.setup';

/** Not listening yet: the caller calls listen() (the benchmark) or init() (the test beside Express). */
export async function createFastifyApp(config: AppConfig, options: AppModuleOptions = {}): Promise<NestFastifyApplication> {
  // Fastify takes a hop count too (its typings say only boolean, string or addresses).
  const trustProxy = config.http.trustProxy as boolean | string[];
  const adapter = new FastifyAdapter({ bodyLimit: config.http.bodyLimitBytes, trustProxy });
  expressShims(adapter);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(config, options), adapter, { logger: false });
  await app.register(fastifyCookie);
  await app.register(fastifyHelmet, { contentSecurityPolicy: { useDefaults: false, directives: STRICT_POLICY } });
  app.enableShutdownHooks();
  return app;
}

/**
 * Only what the application's exception filter uses of Express: reply.json(), reply.setHeader(), request.path and
 * request.accepts() (a crude one: enough for the filter's "html or json" question). Errors are
 * rare on the measured routes, so these cost nothing there; a real switch would rewrite the filter
 * on HttpAdapterHost instead.
 */
function expressShims(adapter: FastifyAdapter): void {
  const fastify = adapter.getInstance();
  fastify.decorateReply('json', function (this: FastifyReply, body: unknown) {
    return this.send(body);
  });
  fastify.decorateReply('setHeader', function (this: FastifyReply, name: string, value: string) {
    return this.header(name, value);
  });
  fastify.decorateRequest('path', {
    getter(this: FastifyRequest) {
      return this.url.split('?')[0];
    },
  });
  fastify.decorateRequest('accepts', function (this: FastifyRequest, types: string[]) {
    const accept = this.headers.accept ?? '*/*';
    return types.find((type) => accept.includes(type === 'html' ? 'text/html' : `application/${type}`)) ?? (accept.includes('*/*') ? types[0] : false);
  });
}
