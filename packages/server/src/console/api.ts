import type { IssuerScope } from '../issuers/scope.js';

/** The app's own fetch (app.ts): the console calls the Admin API in process, as any client would. */
export type AppFetch = (request: Request, env?: object) => Response | Promise<Response>;

/** An RFC 9457 problem as the Admin API sends it. */
export interface ApiProblem {
  status: number;
  title: string;
  detail?: string;
  errors?: { field: string; detail: string }[];
}

export type ApiResult<T> = { ok: true; status: number; body: T; etag: string | undefined } | { ok: false; status: number; problem: ApiProblem };

export interface ConsoleApi {
  get<T>(route: string): Promise<ApiResult<T>>;
  send<T>(method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', route: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResult<T>>;
}

/**
 * The Admin API on behalf of the signed-in operator: every console page reads and writes through
 * it with the operator's access token, so the console can do exactly what the API lets that
 * person do (the authorization matrix covers both). The browser's request environment is passed
 * on, so the API records the operator's own address with each change.
 */
export function consoleApi(fetch: AppFetch, scope: IssuerScope, accessToken: string, env: object | undefined): ConsoleApi {
  const call = async <T>(method: string, route: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResult<T>> => {
    const request = new Request(scope.href(`/admin/api/v1${route}`), {
      method,
      headers: {
        authorization: `Bearer ${accessToken}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const response = await fetch(request, env);
    const text = await response.text();
    const parsed = text ? (JSON.parse(text) as unknown) : undefined;
    if (response.ok) return { ok: true, status: response.status, body: parsed as T, etag: response.headers.get('etag') ?? undefined };
    const problem = (parsed ?? {}) as Partial<ApiProblem>;
    return {
      ok: false,
      status: response.status,
      problem: { status: response.status, title: problem.title ?? 'Error', detail: problem.detail, errors: problem.errors },
    };
  };
  return {
    get: (route) => call('GET', route),
    send: (method, route, body, headers) => call(method, route, body, headers),
  };
}

/**
 * The env to hand an in-process request: only the caller's address, as the Node adapter's
 * bindings hold it (clientIp reads it there). Never the incoming stream itself: that is the
 * browser's request, and a body read from it would be that request's, not the one made here.
 */
export function forwardedEnv(env: unknown): object | undefined {
  const remoteAddress = (env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress;
  return remoteAddress ? { incoming: { socket: { remoteAddress } } } : undefined;
}
