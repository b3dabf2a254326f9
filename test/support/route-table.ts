import type { INestApplication } from '@nestjs/common';
import { METHOD_METADATA, MODULE_PATH, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';

/** One method + path the running application answers, as Express has it registered. */
export interface RegisteredRoute {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Express path pattern, e.g. "/api/v1/cycles/:id". */
  path: string;
  /** "GET /api/v1/cycles/:id": the key of the rule table. */
  key: string;
  /** The Nest module whose controller handles it; null for routes Nest did not map (Swagger's pages). */
  module: string | null;
  /** The controller class and method that handle it, when Nest mapped it. */
  handler: RouteHandler | null;
}

export interface RouteHandler {
  controller: new (...args: never[]) => unknown;
  method: string;
}

interface Owner {
  module: string;
  handler: RouteHandler;
}

interface ExpressLayer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
}

const METHODS = new Set(['GET', 'POST', 'PATCH', 'PUT', 'DELETE']);

/**
 * Every route the HTTP server answers, read from the Express router itself (so nothing registered
 * outside Nest's controllers, such as Swagger's pages, can hide), each tagged with the Nest module
 * whose controller declared it (from Nest's PATH_METADATA / METHOD_METADATA), so a rule can be
 * checked against who owns the route.
 */
export function registeredRoutes(app: INestApplication): RegisteredRoute[] {
  const express = app.getHttpAdapter().getInstance() as { router?: { stack: ExpressLayer[] }; _router?: { stack: ExpressLayer[] } };
  const stack = (express.router ?? express._router)?.stack;
  if (!stack) throw new Error('The Express router stack was not found: has the application been initialised?');
  const owners = controllerPaths(app);
  const routes = new Map<string, RegisteredRoute>();
  for (const layer of stack) {
    if (!layer.route) continue; // middleware (body parsers, static files) answers no route of its own
    // A layer for every HTTP verb at once (router.all) is Nest's middleware mount for the paths
    // excluded from the global prefix: it passes every request on and answers nothing itself.
    if (Object.keys(layer.route.methods).length > METHODS.size) continue;
    const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
    for (const path of paths) {
      for (const [name, on] of Object.entries(layer.route.methods)) {
        const method = name.toUpperCase();
        if (!on || !METHODS.has(method)) continue;
        const key = `${method} ${path}`;
        const owner = owners.get(key);
        routes.set(key, { method: method as RegisteredRoute['method'], path, key, module: owner?.module ?? null, handler: owner?.handler ?? null });
      }
    }
  }
  return [...routes.values()].sort((a, b) => a.key.localeCompare(b.key));
}

/**
 * "METHOD /path" → the module and handler, for every handler of every controller Nest knows. A
 * handler's path is its module's RouterModule path (if any), its controller's and its own; it is
 * recorded with and without the global prefix, since controllers may be excluded from that.
 */
function controllerPaths(app: INestApplication): Map<string, Owner> {
  const prefix = (app as unknown as { config?: { getGlobalPrefix(): string } }).config?.getGlobalPrefix?.() ?? '';
  const container = app.get(ModulesContainer);
  const owners = new Map<string, Owner>();
  for (const module of container.values()) {
    const modulePath = String(Reflect.getMetadata(MODULE_PATH + container.applicationId, module.metatype) ?? Reflect.getMetadata(MODULE_PATH, module.metatype) ?? '');
    for (const wrapper of module.controllers.values()) {
      const type = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!type?.prototype) continue;
      const bases = asList(Reflect.getMetadata(PATH_METADATA, type));
      for (const name of Object.getOwnPropertyNames(type.prototype)) {
        const handler = type.prototype[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const requestMethod = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (requestMethod === undefined) continue;
        const method = RequestMethod[requestMethod];
        for (const base of bases) {
          for (const sub of asList(Reflect.getMetadata(PATH_METADATA, handler))) {
            const path = join(modulePath, base, sub);
            const owner = { module: module.metatype.name, handler: { controller: type, method: name } };
            owners.set(`${method} ${path}`, owner);
            if (prefix) owners.set(`${method} ${join(prefix, path)}`, owner);
          }
        }
      }
    }
  }
  return owners;
}

function asList(value: unknown): string[] {
  if (value === undefined || value === null) return ['/'];
  return Array.isArray(value) ? value.map(String) : [String(value)];
}

function join(...parts: string[]): string {
  const path = parts.map((p) => p.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/');
  return `/${path}`;
}
