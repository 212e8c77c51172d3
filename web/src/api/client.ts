import createClient, { type Middleware } from 'openapi-fetch';
import { session, signOut } from '../session.js';
import type { paths } from './schema.js';
import { ApiError, isProblem, type Problem } from './problems.js';

/** The typed API client (types generated from the server's OpenAPI document: npm run web:api-types). */
export const api = createClient<paths>({ baseUrl: '' });

const auth: Middleware = {
  onRequest({ request }) {
    const token = session.value?.token;
    if (token && !request.headers.has('authorization')) request.headers.set('authorization', `Bearer ${token}`);
    return request;
  },
  onResponse({ response }) {
    // A token the server no longer accepts (expired, or a new JWT_SECRET): sign out, so the pages say "Sign in".
    if (response.status === 401 && session.value) signOut();
    return response;
  },
};
api.use(auth);

const problemFrom = async (response: Response, error: unknown): Promise<Problem> => {
  if (isProblem(error)) return error;
  const retry = Number(response.headers.get('retry-after'));
  return {
    type: response.status === 429 ? 'rate-limited' : response.status >= 500 ? 'unavailable' : 'error',
    title: response.statusText || 'Error',
    status: response.status,
    ...(Number.isFinite(retry) && retry > 0 ? { retryAfter: retry } : {}),
  };
};

/** The data of a successful answer; throws ApiError (with a readable message) otherwise. */
export const ok = async <T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> => {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  const problem = await problemFrom(response, error);
  const retry = Number(response.headers.get('retry-after'));
  throw new ApiError(Number.isFinite(retry) && retry > 0 && problem.retryAfter === undefined ? { ...problem, retryAfter: retry } : problem);
};

/**
 * Routes the generated types do not know yet (features a newer server adds:
 * best available, the waitlist), called only after `capabilities()` found them
 * in the server's OpenAPI document.
 */
export const untyped = async <T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> => {
  const token = session.value?.token;
  const r = await fetch(path, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const json: unknown = r.status === 204 ? undefined : await r.json().catch(() => undefined);
  if (!r.ok) throw new ApiError(await problemFrom(r, json));
  return json as T;
};

export type Capabilities = { readonly bestAvailable: boolean; readonly waitlist: boolean; readonly productions: boolean };

let capabilities: Promise<Capabilities> | undefined;

/** What this server offers beyond the routes this app was built with, read from its OpenAPI document once. */
export const serverCapabilities = (): Promise<Capabilities> =>
  (capabilities ??= fetch('/openapi.json')
    .then((r) => r.json() as Promise<{ paths?: Record<string, Record<string, unknown>> }>)
    .then((doc) => {
      const paths = doc.paths ?? {};
      const holdBody = JSON.stringify(paths['/events/{id}/bookings']?.post ?? {});
      return {
        bestAvailable: /"best"\s*:/.test(holdBody),
        waitlist: '/events/{id}/waitlist' in paths,
        productions: '/productions/{id}' in paths,
      };
    })
    .catch(() => ({ bestAvailable: false, waitlist: false, productions: false })));
