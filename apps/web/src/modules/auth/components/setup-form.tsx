'use client';
import { useSearchParams } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { Button, Field, TextInput } from '@/components/ui';
import { AuthCard } from './auth-card';
import s from '../auth.module.css';

/** The first admin, from the one-time link `npm start` prints (its token is in the URL). */
export function SetupForm() {
  const params = useSearchParams();
  const token = params.get('token') ?? '';
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const res = await fetch('/api/v1/setup', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, email, name, password }) });
      if (res.ok) {
        window.location.assign('/main/flows');
        return;
      }
      const body = (await res.json().catch(() => ({}))) as { message?: string };
      setError(body.message ?? `Setup failed (${res.status}).`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <AuthCard title="Create the first admin" lead="This account can do everything, including adding people and giving them roles.">
      {!token ? (
        <p className={s.alert} role="alert">
          This page needs the one-time link that npm start printed (it ends with ?token=…).
        </p>
      ) : null}
      <form className={s.form} onSubmit={submit} aria-label="Create the first admin">
        <Field label="E-mail" htmlFor="setup-email" required>
          <TextInput id="setup-email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} autoFocus />
        </Field>
        <Field label="Name" htmlFor="setup-name">
          <TextInput id="setup-name" autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label="Password" htmlFor="setup-password" hint="At least 8 characters." required>
          <TextInput id="setup-password" type="password" autoComplete="new-password" required minLength={8} value={password} onChange={(e) => setPassword(e.target.value)} />
        </Field>
        {error ? (
          <p className={s.alert} role="alert">
            {error}
          </p>
        ) : null}
        <Button type="submit" variant="primary" loading={busy} disabled={!token}>
          Create admin and sign in
        </Button>
      </form>
    </AuthCard>
  );
}
