'use client';
import { useEffect } from 'react';
import { signInHref } from '../lib/next-path';

/**
 * Rendered instead of a page for a visitor without a valid session: goes to the sign-in page,
 * which comes back to this exact address (path and query) afterwards. Done in the browser because
 * the layout that decides does not know the full address.
 */
export function SignInRedirect() {
  useEffect(() => {
    window.location.replace(signInHref(window.location.pathname + window.location.search));
  }, []);
  return (
    <p data-signin-redirect style={{ padding: 24 }}>
      Signing in is needed: opening the sign-in page…
    </p>
  );
}
