// The status change (and the listing) without Express and without NestJS's router: a bare node:http
// server that does what the application's route does (the guard's token lookup and role check, the same validation
// pipe and id pipe, the same StatusService, the answer as JSON) and nothing else. Measured beside
// the application by bench/http-layer.bench.ts: the difference is the most that any HTTP layer
// (Fastify included) could save on this route. Benchmark only: it sends none of the security
// headers, parses no cookies and answers errors without the application's exception filter.
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse } from 'node:querystring';
import { HttpException, INestApplication, PipeTransform } from '@nestjs/common';
import { CREDENTIALS, type Credentials } from '../src/auth/credentials';
import { IdPipe } from '../src/common/id.pipe';
import { createValidationPipe } from '../src/common/validation';
import { ChangeStatusDto, ListRecommendationsQuery } from '../src/recommendations/recommendations.dto';
import { RecommendationsService } from '../src/recommendations/recommendations.service';
import { StatusService } from '../src/recommendations/status.service';
import { API_PREFIX } from '../src/app.setup';

const ROUTE = new RegExp(`^/${API_PREFIX}/recommendations/([^/]+)/status$`);
/** The listing (GET /recommendations?…), for the same comparison on a read. */
const LISTING = `/${API_PREFIX}/recommendations`;
/** As @Roles('admin', 'coordinator') on the route. */
const ROLES = ['admin', 'coordinator'];
const BODY_LIMIT = 1024 * 1024;

export async function startBareStatusRoute(app: INestApplication): Promise<{ port: number; close(): Promise<void> }> {
  const credentials = app.get<Credentials>(CREDENTIALS);
  const statuses = app.get(StatusService);
  const recommendations = app.get(RecommendationsService);
  const validation: PipeTransform = createValidationPipe();
  const ids = new IdPipe();

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const [path, search] = (request.url ?? '').split('?', 2);
    const listing = request.method === 'GET' && path === LISTING;
    const match = request.method === 'POST' ? ROUTE.exec(path) : null;
    if (!match && !listing) return answer(response, 404, { statusCode: 404, message: 'Not Found' });
    const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const user = token ? await credentials.userOfToken(token) : null;
    if (!user) return answer(response, 401, { statusCode: 401, message: 'Unauthorized' });
    if (!match) {
      // Express 5's query parser ("simple") is node:querystring's, as here.
      const query = (await validation.transform(parse(search ?? ''), { type: 'query', metatype: ListRecommendationsQuery })) as ListRecommendationsQuery;
      return answer(response, 200, await recommendations.list(user, query));
    }
    if (!ROLES.includes(user.role)) return answer(response, 403, { statusCode: 403, message: 'Forbidden' });
    const body = JSON.parse(await readBody(request)) as unknown;
    const id = ids.transform(match[1], { type: 'param', data: 'id', metatype: Number }) as number;
    const dto = (await validation.transform(body, { type: 'body', metatype: ChangeStatusDto })) as ChangeStatusDto;
    answer(response, 201, await statuses.change(user, id, dto));
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      const status = error instanceof HttpException ? error.getStatus() : 500;
      answer(response, status, error instanceof HttpException ? error.getResponse() : { statusCode: 500, message: String(error) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function answer(response: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
  response.end(json);
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > BODY_LIMIT) reject(new Error('body too large'));
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
