'use client';
import { useSearchParams } from 'next/navigation';
import { useEffect, useState, type FormEvent } from 'react';
import { getProviders, signIn } from 'next-auth/react';
import { Button, Field, TextInput } from '@/components/ui';
import { safeNextPath } from '../lib/next-path';
import { oidcErrorMessage } from '../lib/oidc-errors';
import { AuthCard } from './auth-card';
import s from '../auth.module.css';

/** E-mail and password; on success, back to the page that asked for sign-in (`?next=`). */
export function SignInForm() {
  const params = useSearchParams();
  const next = safeNextPath(params.get('next'));
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [setupRequired, setSetupRequired] = useState(false);
  // The OIDC provider's name when one is configured (next-auth lists it; 404 without one).
  const [provider, setProvider] = useState<string>();
  const [redirecting, setRedirecting] = useState(false);
  const oidcError = oidcErrorMessage(params.get('error'), provider ?? 'single sign-on');

  useEffect(() => {
    fetch('/api/v1/setup')
      .then((r) => r.json())
      .then((b: { required?: boolean; authMode?: string }) => {
        setSetupRequired(Boolean(b.required));
        if (b.authMode === 'none') window.location.replace(next);
      })
      .catch(() => {});
    getProviders()
      .then((providers) => setProvider(providers?.oidc?.name))
      .catch(() => {});
  }, [next]);

  function signInWithProvider() {
    setRedirecting(true);
    // next-auth posts its CSRF token and sends the browser to the provider; back at the callback,
    // the server sets Baton's session cookie and returns here (or to ?error=).
    signIn('oidc', { callbackUrl: next }).catch(() => setRedirecting(false));
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const res = await fetch('/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
      if (res.ok) {
        window.location.assign(next);
        return;
      }
      const body = (await res.json().catch(() => ({}))) as { message?: string };
      setError(res.status === 401 ? 'Wrong e-mail or password.' : (body.message ?? `Sign-in failed (${res.status}).`));
    } catch {
      setError('Baton’s server cannot be reached. Check that it is running.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <AuthCard title="Sign in" lead={params.get('next') ? 'Sign in to continue where you were.' : undefined}>
      {setupRequired ? (
        <p className={s.note} role="status">
          Baton is not set up yet: open the one-time setup link that <code>npm start</code> printed to create the first admin.
        </p>
      ) : null}
      {oidcError && !error ? (
        <p className={s.alert} role="alert">
          {oidcError}
        </p>
      ) : null}
      {provider ? (
        <>
          <Button type="button" variant="primary" loading={redirecting} onClick={signInWithProvider}>
            Sign in with {provider}
          </Button>
          <p className={s.divider}>or with your Baton password</p>
        </>
      ) : null}
      <form className={s.form} onSubmit={submit} aria-label="Sign in">
        <Field label="E-mail" htmlFor="signin-email">
          <TextInput id="signin-email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} autoFocus />
        </Field>
        <Field label="Password" htmlFor="signin-password">
          <TextInput id="signin-password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </Field>
        {error ? (
          <p className={s.alert} role="alert">
            {error}
          </p>
        ) : null}
        <Button type="submit" variant={provider ? 'secondary' : 'primary'} loading={busy}>
          Sign in
        </Button>
      </form>
    </AuthCard>
  );
}
