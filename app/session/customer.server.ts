import { randomUUID } from "node:crypto";
import { redirect, type AppLoadContext } from "@remix-run/node";
import { isUpstreamError, type CallContext } from "../../services/index.server";
import type { TokenSet } from "../../types/domain";
import { logger } from "../logger.server";
import { tokenRefreshes } from "../observability/metrics.server";
import { getServices } from "../services.server";
import { loginPath } from "../redirect.server";
import { getSessionRuntime } from "./runtime.server";
import { SessionStoreUnavailable } from "../shared-state/redis-sessions.server";
import type { CustomerSession, ProfileHints } from "./store.server";

/** Refresh an access token this close to its expiry rather than let a call fail. */
export const REFRESH_MARGIN_MS = 30_000;
/** Write the rolling idle timestamp at most this often, so most responses set no cookie… */
const MAX_TOUCH_INTERVAL_MS = 60_000;

/**
 * …and, with a short idle timeout, once a quarter of it has passed: activity
 * must always keep a session alive until its absolute timeout. (With a fixed
 * minute and a 10 s idle timeout, a customer active every 2 s was signed out
 * after about 12 s: issue 14.)
 */
export function touchIntervalMs(idleTimeoutMs: number): number {
  return Math.min(MAX_TOUCH_INTERVAL_MS, Math.floor(idleTimeoutMs / 4));
}

type CookieChange = "none" | "commit" | "destroy";

/**
 * The session of one request. Every loader and action of a request shares it
 * (it is keyed by the request's load context), so parallel loaders read the
 * cookie once and refresh at most once; the cookie change is written once, on
 * the way out (`appendSessionCookie`).
 */
export class RequestSession {
  private loaded: Promise<CustomerSession | null> | undefined;
  private current: CustomerSession | null = null;
  private change: CookieChange = "none";
  private refreshing: Promise<string | undefined> | undefined;
  /** Set when the refresh token was refused: the customer must sign in again. */
  private ended = false;
  /** The session being ended, so a server-side store can delete it. */
  private ending: CustomerSession | undefined;

  constructor(
    readonly request: Request,
    readonly context: AppLoadContext,
  ) {}

  get secure(): boolean {
    return this.context.secure ?? new URL(this.request.url).protocol === "https:";
  }

  private callContext(options: { timeoutMs?: number }): CallContext {
    return { signal: this.request.signal, trace: this.context.trace, ...options };
  }

  /** The signed-in session, or null (none, tampered, revoked, timed out). */
  get(): Promise<CustomerSession | null> {
    this.loaded ??= this.load();
    return this.loaded;
  }

  private async load(): Promise<CustomerSession | null> {
    const runtime = getSessionRuntime();
    let session: CustomerSession | null;
    try {
      session = await runtime.store.read(this.request, this.secure);
    } catch (error) {
      if (!(error instanceof SessionStoreUnavailable)) throw error;
      // Fail closed, but honestly: not "signed out", just not reachable right now.
      logger.error({ requestId: this.context.requestId, err: error.message }, "session store unavailable");
      throw new Response("We can't reach your session right now. Please try again in a moment.", {
        status: 503,
        headers: { "Retry-After": "5", "Content-Type": "text/plain; charset=utf-8" },
      });
    }
    if (!session) {
      // A cookie that no longer opens (tampered, old secret) is cleared, not kept around.
      if (this.request.headers.get("cookie")?.includes("session=")) this.change = "destroy";
      return null;
    }
    const now = Date.now();
    const idle = now - session.lastSeenAt > runtime.idleTimeoutMs;
    const expired = now - session.createdAt > runtime.absoluteTimeoutMs;
    if (idle || expired || (await runtime.revocations.isRevoked(session.id))) {
      this.change = "destroy";
      return null;
    }
    if (now - session.lastSeenAt >= touchIntervalMs(runtime.idleTimeoutMs)) {
      session.lastSeenAt = now;
      this.change = "commit";
    }
    this.current = session;
    return session;
  }

  /** Begins a new session (a new id: no fixation), ending any the browser had. */
  async start(tokens: TokenSet, profile?: ProfileHints): Promise<void> {
    const previous = await this.get();
    if (previous) await this.revoke(previous);
    const now = Date.now();
    const userId = subjectOf(tokens.accessToken);
    this.current = {
      id: randomUUID(),
      ...(userId ? { userId } : {}),
      tokens,
      createdAt: now,
      lastSeenAt: now,
      ...(profile ? { profile } : {}),
    };
    this.loaded = Promise.resolve(this.current);
    this.change = "commit";
  }

  /** Signs out: revokes the session id (replays are refused) and clears the cookie. */
  async end(): Promise<CustomerSession | null> {
    const session = await this.get();
    if (session) await this.revoke(session);
    this.ending = session ?? undefined;
    this.current = null;
    this.change = "destroy";
    return session;
  }

  private async revoke(session: CustomerSession) {
    const runtime = getSessionRuntime();
    try {
      await runtime.revocations.revoke(session.id, session.createdAt + runtime.absoluteTimeoutMs);
    } catch (error) {
      // The cookie is still cleared and the refresh token revoked at Auth; a replay
      // dies with its access token. Worth knowing, not worth failing the sign-out.
      logger.error({ requestId: this.context.requestId, err: String(error) }, "could not record the revocation");
    }
  }

  /**
   * A usable access token: refreshed first when it is about to expire. If Auth
   * cannot refresh right now, the old token is returned and the caller degrades.
   */
  async accessToken(): Promise<string> {
    const session = await this.requireSession();
    if (session.tokens.accessTokenExpiresAt - Date.now() > REFRESH_MARGIN_MS) return session.tokens.accessToken;
    return (await this.refresh()) ?? session.tokens.accessToken;
  }

  /**
   * Calls an upstream with the customer's token. An upstream that says 401 once
   * gets one retry after a refresh (its clock, or a revocation, may differ from ours).
   */
  async withToken<T>(
    call: (accessToken: string, context: CallContext) => Promise<T>,
    options: { timeoutMs?: number } = {},
  ): Promise<T> {
    const context = this.callContext(options);
    const token = await this.accessToken();
    try {
      return await call(token, context);
    } catch (error) {
      if (!isUpstreamError(error, "unauthorized")) throw error;
      const refreshed = await this.refresh();
      if (!refreshed || refreshed === token) throw error;
      return call(refreshed, context);
    }
  }

  /**
   * Changes facts kept in the session (profile hints, flash, recent payments);
   * the cookie is written only when something actually changed.
   */
  async update(change: (session: CustomerSession) => void): Promise<void> {
    const session = await this.requireSession();
    const before = JSON.stringify(session);
    change(session);
    if (JSON.stringify(session) !== before && this.change !== "destroy") this.change = "commit";
  }

  /** The profile hints, if known. */
  async profile(): Promise<ProfileHints | undefined> {
    return (await this.get())?.profile;
  }

  private refresh(): Promise<string | undefined> {
    this.refreshing ??= this.runRefresh();
    return this.refreshing;
  }

  private async runRefresh(): Promise<string | undefined> {
    const session = await this.requireSession();
    const { refresher } = getSessionRuntime();
    const { refreshToken } = session.tokens;
    try {
      // Not the request's abort signal: other requests may be waiting on this refresh.
      const tokens = await refresher.refresh(refreshToken, () =>
        getServices()
          .auth.refresh(refreshToken, { trace: this.context.trace })
          .then(
            (fresh) => (tokenRefreshes.inc({ outcome: "ok" }), fresh),
            (error: unknown) => {
              tokenRefreshes.inc({ outcome: isUpstreamError(error, "rejected") ? "refused" : "failed" });
              throw error;
            },
          ),
      );
      session.tokens = tokens;
      if (this.change !== "destroy") this.change = "commit";
      return tokens.accessToken;
    } catch (error) {
      if (isUpstreamError(error, "rejected") || isUpstreamError(error, "unauthorized")) {
        logger.info({ requestId: this.context.requestId, code: isUpstreamError(error) ? error.code : undefined }, "refresh refused; session ended");
        this.ended = true;
        await this.end();
        throw this.signInAgain("expired");
      }
      logger.warn({ requestId: this.context.requestId, err: String(error) }, "refresh failed; keeping session");
      return undefined;
    }
  }

  private async requireSession(): Promise<CustomerSession> {
    const session = await this.get();
    if (!session) throw this.signInAgain(this.ended ? "expired" : undefined);
    return session;
  }

  /** A redirect to sign-in that comes back here afterwards. */
  signInAgain(reason?: "expired"): Response {
    return redirect(loginPath(pathOf(new URL(this.request.url)), reason));
  }

  /**
   * The `Set-Cookie` value this request's session needs, if any: given once, so a
   * response that already carries it does not get it twice.
   */
  async takeCookieHeader(): Promise<string | undefined> {
    const change = this.change;
    this.change = "none";
    const runtime = getSessionRuntime();
    if (change === "destroy") return runtime.store.destroy(this.secure, this.ending);
    if (change === "commit" && this.current) {
      // Signed out while this request was running: never bring the session back.
      if (await runtime.revocations.isRevoked(this.current.id)) return runtime.store.destroy(this.secure, this.current);
      return runtime.store.commit(this.current, this.secure, this.current.createdAt + runtime.absoluteTimeoutMs);
    }
    return undefined;
  }

  /** Whether the response is personal (a session was read or changed): then nobody may cache it. */
  get personal(): boolean {
    return this.loaded !== undefined;
  }
}

/**
 * The page the customer asked for, without Remix's own parameters: `_routes`
 * (single fetch's loaders to run; Remix already took `.data` off the path) and
 * `_data` (the data requests of Remix before single fetch, still answered).
 */
function pathOf(url: URL): string {
  const search = new URLSearchParams(url.search);
  search.delete("_routes");
  search.delete("_data");
  const query = search.toString();
  return url.pathname + (query ? `?${query}` : "");
}

const sessions = new WeakMap<AppLoadContext, RequestSession>();

/** The session of this request, shared by all its loaders and actions. */
export function requestSession(request: Request, context: AppLoadContext): RequestSession {
  let session = sessions.get(context);
  if (!session) {
    session = new RequestSession(request, context);
    sessions.set(context, session);
  }
  return session;
}

/** The signed-in customer's session, or a thrown redirect to `/login?redirectTo=<this page>`. */
export async function requireCustomer(request: Request, context: AppLoadContext): Promise<RequestSession> {
  const session = requestSession(request, context);
  if (!(await session.get())) throw session.signInAgain();
  return session;
}

/**
 * Writes the request's session cookie change onto the outgoing headers, and marks
 * personal responses uncacheable. Called once per response, for every response,
 * by entry.server's `finalizeResponse` (through server/remix-handler.ts).
 */
export async function appendSessionCookie(context: AppLoadContext, headers: Headers): Promise<void> {
  const session = sessions.get(context);
  if (!session) return;
  let cookie: string | undefined;
  try {
    cookie = await session.takeCookieHeader();
  } catch (error) {
    // The store could not save (server-side sessions, Redis away): the session
    // stays as it was; the page itself is still worth sending.
    logger.error({ requestId: context.requestId, err: String(error) }, "session change not saved");
  }
  if (cookie) headers.append("Set-Cookie", cookie);
  if (session.personal) {
    headers.set("Cache-Control", "private, no-store");
    if (!headers.get("Vary")?.includes("Cookie")) headers.append("Vary", "Cookie");
  }
}

/** The access token's subject, read (not verified: Auth just gave it to us) to index sessions. */
function subjectOf(accessToken: string): string | undefined {
  try {
    const payload: unknown = JSON.parse(Buffer.from(accessToken.split(".")[1] ?? "", "base64url").toString("utf8"));
    return payload && typeof payload === "object" && "sub" in payload && typeof payload.sub === "string" ? payload.sub : undefined;
  } catch {
    return undefined;
  }
}
