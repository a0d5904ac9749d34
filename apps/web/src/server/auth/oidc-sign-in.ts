import 'server-only';
import crypto from 'node:crypto';
import NextAuth, { type AuthOptions } from 'next-auth';
import type { NextRequest } from 'next/server';
import { AppError } from '@baton/engine';
import { OidcAccounts, type OidcSignInResult } from '@baton/engine/identity';
import { configureNextAuthUrl, webEnv, type OidcEnv } from '../env';
import { services } from '../services';
import { recordSignIn } from '../api/audit';
import { anonymousCaller, clientInfo } from './identify';
import { sessionCookie } from './session-cookie';
import { serverLog } from '../log';

/**
 * OpenID Connect sign-in through next-auth 4, mounted at /api/auth/* (Baton's own API is
 * /api/v1/*). next-auth runs the authorization code flow (state, PKCE, nonce, the id_token's
 * signature and claims); Baton then finds or makes the user, syncs the groups claim, and issues
 * its own `baton_session` cookie, so identify.ts stays the one place that knows who is calling.
 * next-auth's own session cookie is dropped: a second session would outlive Baton's sign-out.
 */

export const OIDC_PROVIDER_ID = 'oidc';

/** What happened during one callback request, filled by next-auth's callbacks and logger. */
interface Outcome {
  signedIn?: OidcSignInResult;
  refused?: { reason: string; message: string; email?: string };
  error?: string;
}

/** next-auth signs its state/PKCE cookies with a secret; Baton derives one from its key. */
function nextAuthSecret(encryptionKey: string) {
  return crypto.createHmac('sha256', encryptionKey).update('baton next-auth cookies').digest('base64url');
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    // openid-client's OPError carries the provider's answer (invalid_client, …) in its fields.
    const op = error as Error & { error?: string; error_description?: string };
    return [op.error, op.error_description ?? error.message].filter(Boolean).join(': ').slice(0, 500);
  }
  return String(error).slice(0, 500);
}

function authOptions(oidc: OidcEnv, secret: string, outcome: Outcome): AuthOptions {
  return {
    secret,
    providers: [
      {
        id: OIDC_PROVIDER_ID,
        name: oidc.name,
        type: 'oauth',
        wellKnown: `${oidc.issuer}/.well-known/openid-configuration`,
        clientId: oidc.clientId,
        clientSecret: oidc.clientSecret,
        authorization: { params: { scope: oidc.scopes } },
        checks: ['pkce', 'state', 'nonce'],
        // The verified id_token's claims are the profile (no userinfo call): groups ride in it.
        idToken: true,
        profile: (claims: Record<string, unknown>) => ({
          id: String(claims.sub),
          email: typeof claims.email === 'string' ? claims.email : null,
          name: typeof claims.name === 'string' ? claims.name : null,
        }),
      },
    ],
    session: { strategy: 'jwt' },
    pages: { signIn: '/signin', error: '/signin' },
    callbacks: {
      signIn: async ({ profile }) => {
        const claims = (profile ?? {}) as Record<string, unknown>;
        try {
          outcome.signedIn = await new OidcAccounts(services().db).signIn(
            {
              provider: OIDC_PROVIDER_ID,
              subject: String(claims.sub ?? ''),
              email: typeof claims.email === 'string' ? claims.email : undefined,
              emailVerified: claims.email_verified === true || claims.email_verified === 'true',
              name: typeof claims.name === 'string' ? claims.name : undefined,
              groups: claims[oidc.groupsClaim],
            },
            oidc.tenant,
          );
          return true;
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          outcome.refused = {
            reason: (error.details as { reason?: string } | undefined)?.reason ?? 'refused',
            message: error.message,
            email: typeof claims.email === 'string' ? claims.email : undefined,
          };
          return false;
        }
      },
    },
    logger: {
      error: (code, metadata) => {
        const detail = metadata instanceof Error ? describe(metadata) : describe((metadata as { error?: unknown })?.error ?? metadata);
        outcome.error = `${code}: ${detail}`;
        serverLog().error({ source: 'oidc', code }, detail);
      },
      warn: (code) => serverLog().warn({ source: 'oidc', code }, 'next-auth warning'),
      debug: () => {},
    },
  };
}

const NEXT_AUTH_SESSION = /^(__Secure-)?next-auth\.session-token(\.\d+)?=/;

/** The response with next-auth's session cookie left out and Location (and cookies) replaced where given. */
function rewrite(response: Response, change: { location?: string; addCookies?: string[] }) {
  const headers = new Headers();
  response.headers.forEach((value, key) => {
    if (key !== 'set-cookie') headers.set(key, value);
  });
  for (const cookie of response.headers.getSetCookie()) if (!NEXT_AUTH_SESSION.test(cookie)) headers.append('set-cookie', cookie);
  for (const cookie of change.addCookies ?? []) headers.append('set-cookie', cookie);
  if (change.location) headers.set('location', change.location);
  return new Response(response.body, { status: change.location ? 302 : response.status, headers });
}

function notConfigured() {
  return Response.json({ message: 'OIDC sign-in is not configured: set BATON_OIDC_ISSUER, BATON_OIDC_CLIENT_ID and BATON_OIDC_CLIENT_SECRET (docs/auth.md)' }, { status: 404 });
}

/** The handler of /api/auth/[...nextauth] (GET and POST). */
export async function handleNextAuth(request: NextRequest, context: { params: Promise<{ nextauth: string[] }> }): Promise<Response> {
  const env = webEnv();
  const [action, provider] = (await context.params).nextauth ?? [];
  if (env.authMode === 'none' || !env.oidc) {
    // The sign-in page asks for the providers on every visit: "none" is an answer, not an error.
    return action === 'providers' ? Response.json({}) : notConfigured();
  }
  configureNextAuthUrl(env.publicUrl);
  await anonymousCaller(request); // the configured admin exists before any sign-in (see OidcAccounts' setup check)
  const outcome: Outcome = {};
  const response: Response = await NextAuth(request as never, context as never, authOptions(env.oidc, nextAuthSecret(env.encryptionKey), outcome));
  if (action !== 'callback' || provider !== OIDC_PROVIDER_ID) return rewrite(response, {});
  return finishCallback(request, response, outcome, env.oidc, env.publicUrl);
}

/** After the provider sent the person back: Baton's session on success, the sign-in page with a reason otherwise. */
async function finishCallback(request: Request, response: Response, outcome: Outcome, oidc: OidcEnv, publicUrl: string) {
  const client = clientInfo(request);
  const via = { via: 'oidc', provider: oidc.name, issuer: oidc.issuer };
  if (outcome.signedIn && response.status < 400 && !/[?&]error=/.test(response.headers.get('location') ?? '')) {
    const user = outcome.signedIn;
    const { secret } = await services().identity.createSession(user.userId, client);
    await recordSignIn('auth.signin', { email: user.email, userId: user.userId }, client, { ...via, userCreated: user.created, groups: user.groups });
    return rewrite(response, { addCookies: [sessionCookie(request, secret)] });
  }
  // The reason names no secret: the provider's error code and description, or Baton's refusal.
  const reason = outcome.refused?.message ?? outcome.error ?? new URL(response.headers.get('location') ?? '/', publicUrl).searchParams.get('error') ?? `status ${response.status}`;
  await recordSignIn('auth.signin.failed', { email: outcome.refused?.email?.slice(0, 254) ?? `${OIDC_PROVIDER_ID}:unknown` }, client, { ...via, reason });
  const code = outcome.refused ? `oidc-${outcome.refused.reason}` : 'oidc-failed';
  return rewrite(response, { location: `${publicUrl}/signin?error=${code}` });
}
