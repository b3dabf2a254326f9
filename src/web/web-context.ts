import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { AuthUser } from '../auth/auth-user';
import { type AppLanguage, DEFAULT_LANGUAGE, isAppLanguage, pickAppLanguage } from '../i18n/i18n';
import { WebCsrf } from './web-csrf';
import type { PageFrame } from './view-renderer';

const FLASH_COOKIE = 'upr_flash';

/** What a page handler needs of the request: who is signed in, and the frame of the page it renders. */
export interface WebContext {
  user: AuthUser | null;
  /** The signed-in person; only on pages that need one (the guard has already checked). */
  me: AuthUser;
  /**
   * The page's frame. `forms: false` on a public page without forms: a signed-out reader then gets
   * no cookie at all (the form token needs one).
   */
  frame(title: string, nav?: string, options?: { forms?: boolean }): PageFrame;
  /** Answers with a redirect (303, so the browser follows with a GET), with a one-time message to show there. */
  redirect(url: string, flash?: string): void;
  /** Answers with a page and a status (e.g. 422 for a form shown again with its errors). */
  send(html: string, status?: number): void;
  /**
   * The language of the page: the signed-in person's preference; signed out, `?lang=` (en|es), else
   * the browser's Accept-Language, else English.
   */
  language: AppLanguage;
  request: Request;
}

/**
 * Injects a WebContext. Handlers that use redirect()/send() also declare `@Res() _res` so that Nest
 * leaves the response to them; handlers that return the page's HTML do not.
 */
export const Web = createParamDecorator((_: unknown, context: ExecutionContext): WebContext => {
  const http = context.switchToHttp();
  const req = http.getRequest<Request & { user?: AuthUser; webCsrf?: WebCsrf }>();
  const res = http.getResponse<Response>();
  const user = req.user ?? null;
  const language = requestLanguage(req, user);
  // A signed-out page whose language came from ?lang= keeps it in its forms' and links' addresses.
  const langQuery = !user && isAppLanguage(req.query?.lang);
  return {
    user,
    get me(): AuthUser {
      if (!user) throw new Error('This page needs a signed-in person');
      return user;
    },
    request: req,
    language,
    frame(title, nav, options = {}) {
      const flash = typeof req.cookies?.[FLASH_COOKIE] === 'string' ? req.cookies[FLASH_COOKIE] : null;
      if (flash) res.clearCookie(FLASH_COOKIE, { path: '/' });
      const needsToken = user !== null || options.forms !== false;
      return { title, nav, user, flash, lang: language, langQuery, csrfToken: needsToken ? req.webCsrf!.tokenFor(req, res) : '' };
    },
    redirect(url, flash) {
      if (flash) res.cookie(FLASH_COOKIE, flash, { httpOnly: true, sameSite: 'lax', path: '/', maxAge: 60_000 });
      res.redirect(303, safeLocalPath(url));
    },
    send(html, status = 200) {
      res.status(status).type('html').send(html);
    },
  };
});

/** The signed-in person's language; signed out, that of `?lang=`, else of Accept-Language, else English. */
export function requestLanguage(req: Request, user: AuthUser | null): AppLanguage {
  if (user) return user.language ?? DEFAULT_LANGUAGE;
  return pickAppLanguage(req.query?.lang, (...languages) => req.acceptsLanguages(...languages));
}

/** Only paths on this site, so a crafted ?next= cannot send someone elsewhere after signing in. */
export function safeLocalPath(url: string | undefined, fallback = '/'): string {
  return url && url.startsWith('/') && !url.startsWith('//') && !url.startsWith('/\\') ? url : fallback;
}
