import crypto from 'node:crypto';
import type { Db } from '@baton/db';
import { AppError } from '../app-error';
import { normalizeEmail } from './identity-service';

/** What an OpenID Connect provider said about the person signing in (from the verified id_token). */
export interface OidcProfile {
  /** Baton's name for the provider (`oidc`): identities are keyed by provider and subject. */
  provider: string;
  subject: string;
  email?: string;
  /** The provider's `email_verified`: only a verified address may be linked to an existing user. */
  emailVerified?: boolean;
  name?: string;
  /** The groups claim as sent (a list, one string, or nothing). */
  groups: unknown;
}

export interface OidcSignInResult {
  userId: string;
  email: string;
  /** A Baton user was made for this person now. */
  created: boolean;
  /** How the groups claim changed the user's OIDC groups (and which claim values were unusable). */
  groups: { member: string[]; added: string[]; removed: string[]; ignored: string[] };
}

/** Why a sign-in was refused, for the sign-in page (the message, with details, goes to the audit log). */
export type OidcRefusalReason = 'no-email' | 'email-unverified' | 'disabled' | 'not-set-up';

function refusal(reason: OidcRefusalReason, message: string) {
  return new AppError('FORBIDDEN', message, { reason });
}

/** The group id rule of AccessService.createGroup. */
const GROUP_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;
const MAX_GROUPS = 200;

/**
 * Claim values as Baton group ids. Keycloak sends paths (`/platform/sre`): the leading slash goes
 * and inner slashes become dots (`platform.sre`). What still is no valid id is reported, not guessed.
 */
export function groupIdsFromClaim(claim: unknown): { ids: string[]; ignored: string[] } {
  const values = Array.isArray(claim) ? claim : typeof claim === 'string' ? [claim] : [];
  const ids = new Set<string>();
  const ignored: string[] = [];
  for (const value of values.slice(0, MAX_GROUPS)) {
    const id = typeof value === 'string' ? value.trim().replace(/^\/+/, '').replace(/\//g, '.') : '';
    if (GROUP_ID.test(id)) ids.add(id);
    else ignored.push(String(value).slice(0, 100));
  }
  return { ids: [...ids].sort(), ignored };
}

/**
 * Baton users for people signed in by an OpenID Connect provider, and their groups from the
 * groups claim. The web app's next-auth callback calls this, then starts a Baton session.
 */
export class OidcAccounts {
  constructor(private readonly db: Db) {}

  /**
   * Finds the user of this provider subject, or links the existing user with the same verified
   * e-mail, or creates one (without a password); then makes the user's OIDC groups in `tenant`
   * exactly the claim's. Refusals are 403 AppErrors with `details.reason` (OidcRefusalReason).
   */
  async signIn(profile: OidcProfile, tenant: string): Promise<OidcSignInResult> {
    const claimed = groupIdsFromClaim(profile.groups);
    return this.db.$transaction(async (tx) => {
      // Two first sign-ins of the same person at once must not make two users.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`baton.oidc:${profile.provider}:${profile.subject}`}))`;
      const email = profile.email ? normalizeEmail(profile.email).slice(0, 254) : undefined;
      let created = false;
      // The first user must be the admin (setup link or BATON_ADMIN_*): a first OIDC user would
      // close the setup page and leave Baton without one.
      if ((await tx.user.count()) === 0)
        throw refusal(
          'not-set-up',
          'Baton is not set up yet: the first admin signs in with the one-time setup link (or BATON_ADMIN_EMAIL/BATON_ADMIN_PASSWORD) before anyone signs in with OIDC',
        );
      const known = await tx.userIdentity.findUnique({ where: { provider_subject: { provider: profile.provider, subject: profile.subject } } });
      let user = known ? await tx.user.findUnique({ where: { id: known.userId } }) : null;
      if (!user) {
        if (!email) throw refusal('no-email', 'the identity provider sent no e-mail address; Baton needs one to name the user (request the `email` scope, or map an email claim)');
        user = await tx.user.findUnique({ where: { email } });
        if (user && profile.emailVerified !== true) {
          throw refusal(
            'email-unverified',
            `a Baton user with the e-mail ${email} exists, and the identity provider has not verified that this address is yours; ask its administrators to verify it`,
          );
        }
        if (!user) {
          user = await tx.user.create({ data: { id: crypto.randomUUID(), email, name: profile.name?.slice(0, 200) || null, passwordHash: null } });
          created = true;
        }
        await tx.userIdentity.upsert({
          where: { provider_subject: { provider: profile.provider, subject: profile.subject } },
          create: { provider: profile.provider, subject: profile.subject, userId: user.id, email: email ?? null },
          update: { userId: user.id, email: email ?? null },
        });
      }
      if (user.disabled) throw refusal('disabled', `the Baton user ${user.email} is disabled; an Admin can enable it`);
      await tx.userIdentity.update({
        where: { provider_subject: { provider: profile.provider, subject: profile.subject } },
        data: { lastLoginAt: new Date(), email: email ?? undefined },
      });

      // Groups: claim groups missing in Baton are made (marked oidc); the user joins every claimed
      // group; and leaves the OIDC groups the claim no longer names. Groups an Admin made keep
      // the members the Admin gave them.
      const before = new Set((await tx.groupMember.findMany({ where: { tenant, userId: user.id } })).map((m) => m.groupId));
      for (const id of claimed.ids) {
        await tx.$executeRaw`INSERT INTO user_groups (tenant, id, source) VALUES (${tenant}, ${id}, 'oidc') ON CONFLICT DO NOTHING`;
        await tx.$executeRaw`INSERT INTO group_members (tenant, group_id, user_id) VALUES (${tenant}, ${id}, ${user.id}) ON CONFLICT DO NOTHING`;
      }
      const dropped = await tx.userGroup.findMany({ where: { tenant, source: 'oidc', id: { in: [...before].filter((g) => !claimed.ids.includes(g)) } } });
      if (dropped.length) await tx.groupMember.deleteMany({ where: { tenant, userId: user.id, groupId: { in: dropped.map((g) => g.id) } } });
      const after = (await tx.groupMember.findMany({ where: { tenant, userId: user.id } })).map((m) => m.groupId).sort();
      return {
        userId: user.id,
        email: user.email,
        created,
        groups: { member: after, added: after.filter((g) => !before.has(g)), removed: dropped.map((g) => g.id).sort(), ignored: claimed.ignored },
      };
    });
  }
}
