import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { getMetadataStorage } from 'class-validator';
import type { RouteHandler } from './route-table';

/** What a route reads from a request: the fields of its body and query DTOs and its path parameters. */
export interface RequestShape {
  bodyFields: string[];
  queryFields: string[];
  /** Path parameter names (from the Express pattern, so Swagger's and Nest's alike). */
  params: string[];
}

/**
 * Reads the shape from the handler's own metadata: the classes of its @Body() and @Query()
 * parameters (TypeScript's design:paramtypes) and the properties class-validator knows on them,
 * inherited ones (pagination) included. A new field of a DTO is fuzzed without touching the tests.
 */
export function requestShape(path: string, handler: RouteHandler | null): RequestShape {
  const params = [...path.matchAll(/:(\w+)/g)].map((m) => m[1]);
  if (!handler) return { bodyFields: [], queryFields: [], params };
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, handler.controller, handler.method) ?? {}) as Record<string, { index: number }>;
  const types = (Reflect.getMetadata('design:paramtypes', handler.controller.prototype, handler.method) ?? []) as unknown[];
  const fieldsOf = (kind: RouteParamtypes): string[] => {
    const fields = new Set<string>();
    for (const [key, arg] of Object.entries(args)) {
      if (Number(key.split(':')[0]) !== kind) continue;
      const type = types[arg.index];
      if (typeof type !== 'function' || type === Object) continue;
      for (const meta of getMetadataStorage().getTargetValidationMetadatas(type, '', true, false)) fields.add(meta.propertyName);
    }
    return [...fields].sort();
  };
  return { bodyFields: fieldsOf(RouteParamtypes.BODY), queryFields: fieldsOf(RouteParamtypes.QUERY), params };
}
