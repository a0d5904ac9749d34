/**
 * What the sign-in page says for `?error=` after an OIDC attempt. Codes, not text, travel in the
 * URL, so a link cannot make Baton's page say something Baton did not. The full reason is in the
 * audit log (auth.signin.failed) and the web app's log.
 */
export function oidcErrorMessage(code: string | null, provider: string): string | undefined {
  if (!code) return undefined;
  switch (code) {
    case 'oidc-disabled':
      return 'Your Baton account is disabled; an Admin can enable it.';
    case 'oidc-email-unverified':
      return `A Baton user with your e-mail address already exists, and ${provider} has not verified that the address is yours. Ask its administrators to verify it.`;
    case 'oidc-no-email':
      return `${provider} sent no e-mail address, which Baton needs. Its administrators can add the email scope or claim.`;
    case 'oidc-not-set-up':
      return 'Baton is not set up yet: the first admin signs in with the one-time setup link before anyone signs in with single sign-on.';
    case 'OAuthSignin':
      return `Sign-in with ${provider} could not start: the identity provider cannot be reached or its discovery document is wrong (check BATON_OIDC_ISSUER).`;
    default:
      return `Sign-in with ${provider} failed: the identity provider refused Baton's request (for example a wrong BATON_OIDC_CLIENT_SECRET or redirect URI), or the attempt expired. Try again; if it keeps failing, an administrator finds the reason in the audit log.`;
  }
}
