import type { Response } from 'supertest';
import { PASSWORD } from './browser';
import type { RequestSpec } from './route-rules';
import type { TestApp } from './test-app';

/** How a form post carries its CSRF token: the page's own, none at all, or a forged one. */
export type CsrfMode = 'valid' | 'missing' | 'wrong';

const FORGED_CSRF = 'f'.repeat(64) + '|' + 'e'.repeat(64);

/**
 * A browser's cookies against the web pages, without a browser: the cookies set by the sign-in
 * and by the pages read for a CSRF token are kept; the answers to the requests under test are
 * not absorbed, so a request that signs someone else in (an invitation accepted, a password reset)
 * does not replace the session this client stands for.
 */
export class WebClient {
  private readonly cookies = new Map<string, string>();
  private token: string | null = null;

  private constructor(
    private readonly t: TestApp,
    /** Who is signed in, for messages; null for a visitor. */
    readonly who: string,
  ) {}

  /** A visitor who is not signed in (and has no cookie until it reads a page with a form). */
  static visitor(t: TestApp): WebClient {
    return new WebClient(t, 'signed out');
  }

  /** Signs in through the real sign-in form (GET /login for the visitor's CSRF token, then POST /login). */
  static async signIn(t: TestApp, email: string, who = email): Promise<WebClient> {
    const client = new WebClient(t, who);
    const csrf = await client.csrf();
    const res = await client.absorb(t.http.post('/login').set('Cookie', client.cookieHeader()).type('form').send(formBody({ _csrf: csrf, email, password: PASSWORD })));
    if (res.status !== 303 || !client.cookies.has('upr_session')) throw new Error(`sign-in of ${email} failed: ${res.status} ${res.text}`);
    client.token = null; // the visitor's token is bound to the visitor cookie, not to the session
    return client;
  }

  /** The CSRF token of this browser's forms, read from the hidden `_csrf` input of a page. */
  async csrf(): Promise<string> {
    if (this.token) return this.token;
    const page = this.cookies.has('upr_session') ? '/settings' : '/login';
    const res = await this.absorb(this.t.http.get(page).set('Cookie', this.cookieHeader()));
    const match = /name="_csrf" value="([^"]+)"/.exec(res.text ?? '');
    if (res.status !== 200 || !match) throw new Error(`no CSRF token on ${page} for ${this.who}: ${res.status}`);
    this.token = match[1].replace(/&#x3D;/g, '=');
    return this.token;
  }

  /**
   * Sends a rule's request with this browser's cookies. A form (`form`) carries the token as the
   * `_csrf` field; a multipart upload (`fields`/`file`) carries it in the query, as the pages do.
   */
  async send(method: string, spec: RequestSpec, csrf: CsrfMode = 'valid'): Promise<Response> {
    const isPost = method === 'POST';
    const token = !isPost || csrf === 'missing' ? null : csrf === 'wrong' ? FORGED_CSRF : await this.csrf();
    const multipart = !!(spec.fields || spec.file);
    const path = multipart && token ? `${spec.path}${spec.path.includes('?') ? '&' : '?'}_csrf=${encodeURIComponent(token)}` : spec.path;
    let req = isPost ? this.t.http.post(path) : this.t.http.get(path);
    if (this.cookies.size > 0) req = req.set('Cookie', this.cookieHeader());
    if (!isPost) return req;
    if (multipart) {
      for (const [name, value] of Object.entries(spec.fields ?? {})) req = req.field(name, value);
      if (spec.file) req = req.attach(spec.file.field, spec.file.content, { filename: spec.file.name, contentType: spec.file.contentType });
      return req;
    }
    return req.type('form').send(formBody({ ...(spec.form ?? {}), ...(token ? { _csrf: token } : {}) }));
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  private async absorb(request: PromiseLike<Response>): Promise<Response> {
    const res = await request;
    for (const cookie of ([] as string[]).concat(res.headers['set-cookie'] ?? [])) {
      const [pair] = cookie.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(cookie)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }
}

/** application/x-www-form-urlencoded, as a browser posts a form (one value per field). */
export function formBody(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}
