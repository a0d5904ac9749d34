'use client';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter, useSearchParams } from 'next/navigation';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useApp } from '@/components/app-shell/app-context';
import { PageHeader } from '@/components/page';
import { Badge, Button, ErrorState, Field, LoadingState, Select, Tabs, TextInput, ui, useToast } from '@/components/ui';
import { api, query, tenantPath } from '@/modules/api/client';
import { can, useMe } from '@/modules/auth/hooks/use-me';
import s from './admin.module.css';

interface User {
  id: string;
  email: string;
  name: string | null;
  instanceAdmin: boolean;
  disabled: boolean;
  created: string;
  lastLogin: string | null;
}
interface Group {
  id: string;
  name: string | null;
  source: string | null;
  members: string[];
}
interface Binding {
  id: string;
  subject: { type: 'USER' | 'GROUP'; id: string };
  role: string;
  namespace: string | null;
  created: string;
  createdBy: string | null;
}
interface Token {
  id: string;
  name: string;
  prefix: string;
  created: string;
  expires: string | null;
  lastUsed: string | null;
  revoked: string | null;
}
interface AuditEvent {
  id: string;
  at: string;
  actor: string;
  action: string;
  resource: string;
  namespace: string | null;
  address: string | null;
  userAgent: string | null;
  before: unknown;
  after: unknown;
}

type Tab = 'users' | 'groups' | 'bindings' | 'tokens' | 'audit';
const ROLES = ['ADMIN', 'EDITOR', 'OPERATOR', 'APPROVER', 'VIEWER'];
const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');

/** Administration: users, groups, role bindings, API tokens and the audit log, as the API allows the caller. */
export function AdminPage() {
  const { tenant } = useApp();
  const { data: me } = useMe(tenant);
  const params = useSearchParams();
  const router = useRouter();
  const manage = can(me, 'users.manage', '');
  const tabs: { id: Tab; label: string }[] = [
    ...(manage
      ? [
          { id: 'users' as Tab, label: 'Users' },
          { id: 'groups' as Tab, label: 'Groups' },
          { id: 'bindings' as Tab, label: 'Role bindings' },
        ]
      : []),
    { id: 'tokens', label: 'My API tokens' },
    ...(can(me, 'audit.read', '') ? [{ id: 'audit' as Tab, label: 'Audit log' }] : []),
  ];
  const wanted = params.get('tab') as Tab | null;
  const tab = tabs.find((t) => t.id === wanted)?.id ?? tabs[0].id;
  return (
    <>
      <PageHeader title="Administration" subtitle={me?.email ? `signed in as ${me.email}` : undefined}>
        <Tabs idPrefix="admin" items={tabs} value={tab} onChange={(id) => router.replace(`?tab=${id}`)} />
      </PageHeader>
      <div className={s.body} role="tabpanel" id={`admin-panel-${tab}`} aria-labelledby={`admin-tab-${tab}`}>
        {tab === 'users' ? <UsersTab /> : tab === 'groups' ? <GroupsTab /> : tab === 'bindings' ? <BindingsTab /> : tab === 'tokens' ? <TokensTab userId={me?.id} /> : <AuditTab />}
      </div>
    </>
  );
}

function useUsers() {
  const { tenant } = useApp();
  return useQuery({ queryKey: ['users', tenant], queryFn: () => api<User[]>(tenantPath(tenant, 'users')) });
}

/** A form whose submit runs `action`, shows its error, and clears on success. */
function ActionForm({ label, action, children, submit }: { label: string; action: () => Promise<unknown>; children: ReactNode; submit: string }) {
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      await action();
      (e.target as HTMLFormElement).reset();
    } catch (error) {
      toast.error(`${label}: not done`, (error as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className={s.form} onSubmit={onSubmit} aria-label={label}>
      {children}
      <Button type="submit" variant="primary" loading={busy}>
        {submit}
      </Button>
    </form>
  );
}

function UsersTab() {
  const { tenant } = useApp();
  const users = useUsers();
  const qc = useQueryClient();
  const [form, setForm] = useState({ email: '', name: '', password: '' });
  if (users.error) return <ErrorState error={users.error} onRetry={() => users.refetch()} title="Could not load users" />;
  if (!users.data) return <LoadingState />;
  return (
    <>
      <ActionForm
        label="Add a user"
        submit="Add user"
        action={async () => {
          await api(tenantPath(tenant, 'users'), { body: { email: form.email, name: form.name || undefined, password: form.password || undefined } });
          setForm({ email: '', name: '', password: '' });
          await qc.invalidateQueries({ queryKey: ['users', tenant] });
        }}
      >
        <Field label="E-mail" htmlFor="u-email">
          <TextInput id="u-email" type="email" required value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} />
        </Field>
        <Field label="Name" htmlFor="u-name">
          <TextInput id="u-name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
        </Field>
        <Field label="Password" htmlFor="u-password" hint="8 characters or more">
          <TextInput id="u-password" type="password" autoComplete="new-password" value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} />
        </Field>
      </ActionForm>
      <table className={ui.table}>
        <thead>
          <tr>
            <th>E-mail</th>
            <th>Name</th>
            <th>Status</th>
            <th>Last sign-in</th>
            <th>Id</th>
          </tr>
        </thead>
        <tbody>
          {users.data.map((u) => (
            <tr key={u.id}>
              <td>{u.email}</td>
              <td>{u.name ?? '—'}</td>
              <td>{u.disabled ? 'disabled' : u.instanceAdmin ? 'instance admin' : 'active'}</td>
              <td>{when(u.lastLogin)}</td>
              <td className={s.mono}>{u.id}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function GroupsTab() {
  const { tenant } = useApp();
  const qc = useQueryClient();
  const users = useUsers();
  const groups = useQuery({ queryKey: ['groups', tenant], queryFn: () => api<Group[]>(tenantPath(tenant, 'groups')) });
  const [id, setId] = useState('');
  const [member, setMember] = useState<{ group: string; user: string }>({ group: '', user: '' });
  const email = (userId: string) => users.data?.find((u) => u.id === userId)?.email ?? userId;
  const refresh = () => qc.invalidateQueries({ queryKey: ['groups', tenant] });
  if (groups.error) return <ErrorState error={groups.error} onRetry={() => groups.refetch()} title="Could not load groups" />;
  if (!groups.data) return <LoadingState />;
  return (
    <>
      <ActionForm
        label="Create a group"
        submit="Create group"
        action={async () => {
          await api(tenantPath(tenant, 'groups'), { body: { id } });
          setId('');
          await refresh();
        }}
      >
        <Field label="Group id" htmlFor="g-id">
          <TextInput id="g-id" required value={id} onChange={(e) => setId(e.target.value)} placeholder="platform-team" />
        </Field>
      </ActionForm>
      <ActionForm
        label="Add a member"
        submit="Add member"
        action={async () => {
          await api(tenantPath(tenant, 'groups', member.group, 'members', member.user), { method: 'PUT' });
          await refresh();
        }}
      >
        <Field label="Group" htmlFor="m-group">
          <Select id="m-group" required value={member.group} onChange={(e) => setMember({ ...member, group: e.target.value })}>
            <option value="">Choose…</option>
            {groups.data.map((g) => (
              <option key={g.id} value={g.id}>
                {g.id}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="User" htmlFor="m-user">
          <Select id="m-user" required value={member.user} onChange={(e) => setMember({ ...member, user: e.target.value })}>
            <option value="">Choose…</option>
            {users.data?.map((u) => (
              <option key={u.id} value={u.id}>
                {u.email}
              </option>
            ))}
          </Select>
        </Field>
      </ActionForm>
      <table className={ui.table}>
        <thead>
          <tr>
            <th>Group</th>
            <th>Members</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {groups.data.map((g) => (
            <tr key={g.id}>
              <td className={s.mono}>
                {g.id}
                {g.source === 'oidc' ? (
                  <>
                    {' '}
                    <Badge title="Made by an OIDC sign-in: its members follow the provider's groups claim at each sign-in">OIDC</Badge>
                  </>
                ) : null}
              </td>
              <td>
                {g.members.length ? (
                  g.members.map((m) => (
                    <span key={m}>
                      {email(m)}{' '}
                      <Button
                        size="sm"
                        variant="ghost"
                        onClick={() => void api(tenantPath(tenant, 'groups', g.id, 'members', m), { method: 'DELETE' }).then(refresh)}
                        aria-label={`Remove ${email(m)} from ${g.id}`}
                      >
                        ×
                      </Button>{' '}
                    </span>
                  ))
                ) : (
                  <span className={s.muted}>no members</span>
                )}
              </td>
              <td style={{ textAlign: 'right' }}>
                <Button size="sm" variant="danger" onClick={() => void api(tenantPath(tenant, 'groups', g.id), { method: 'DELETE' }).then(refresh)}>
                  Delete
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function BindingsTab() {
  const { tenant } = useApp();
  const qc = useQueryClient();
  const users = useUsers();
  const groups = useQuery({ queryKey: ['groups', tenant], queryFn: () => api<Group[]>(tenantPath(tenant, 'groups')) });
  const bindings = useQuery({ queryKey: ['bindings', tenant], queryFn: () => api<Binding[]>(tenantPath(tenant, 'bindings')) });
  const [form, setForm] = useState({ type: 'USER', id: '', role: 'VIEWER', namespace: '' });
  const refresh = () => qc.invalidateQueries({ queryKey: ['bindings', tenant] });
  const subject = (b: Binding) => (b.subject.type === 'USER' ? (users.data?.find((u) => u.id === b.subject.id)?.email ?? b.subject.id) : `group ${b.subject.id}`);
  if (bindings.error) return <ErrorState error={bindings.error} onRetry={() => bindings.refetch()} title="Could not load role bindings" />;
  if (!bindings.data) return <LoadingState />;
  const subjects = form.type === 'USER' ? (users.data ?? []).map((u) => ({ id: u.id, label: u.email })) : (groups.data ?? []).map((g) => ({ id: g.id, label: g.id }));
  return (
    <>
      <ActionForm
        label="Give a role"
        submit="Give role"
        action={async () => {
          await api(tenantPath(tenant, 'bindings'), { body: { subject: { type: form.type, id: form.id }, role: form.role, namespace: form.namespace || undefined } });
          await refresh();
        }}
      >
        <Field label="To" htmlFor="b-type">
          <Select id="b-type" value={form.type} onChange={(e) => setForm({ ...form, type: e.target.value, id: '' })}>
            <option value="USER">User</option>
            <option value="GROUP">Group</option>
          </Select>
        </Field>
        <Field label={form.type === 'USER' ? 'User' : 'Group'} htmlFor="b-id">
          <Select id="b-id" required value={form.id} onChange={(e) => setForm({ ...form, id: e.target.value })}>
            <option value="">Choose…</option>
            {subjects.map((o) => (
              <option key={o.id} value={o.id}>
                {o.label}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Role" htmlFor="b-role">
          <Select id="b-role" value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value })}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Namespace" htmlFor="b-ns" hint="Empty: the whole tenant. Covers child namespaces.">
          <TextInput id="b-ns" value={form.namespace} onChange={(e) => setForm({ ...form, namespace: e.target.value })} placeholder="team.a" />
        </Field>
      </ActionForm>
      <table className={ui.table}>
        <thead>
          <tr>
            <th>Who</th>
            <th>Role</th>
            <th>Where</th>
            <th>Given by</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {bindings.data.map((b) => (
            <tr key={b.id}>
              <td>{subject(b)}</td>
              <td className={s.mono}>{b.role}</td>
              <td className={s.mono}>{b.namespace ?? 'whole tenant'}</td>
              <td>{b.createdBy ?? '—'}</td>
              <td style={{ textAlign: 'right' }}>
                <Button size="sm" variant="danger" onClick={() => void api(tenantPath(tenant, 'bindings', b.id), { method: 'DELETE' }).then(refresh)}>
                  Remove
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function TokensTab({ userId }: { userId?: string }) {
  const { tenant } = useApp();
  const qc = useQueryClient();
  const key = ['tokens', tenant, userId];
  const tokens = useQuery({ queryKey: key, queryFn: () => api<Token[]>(tenantPath(tenant, 'users', userId!, 'api-tokens')), enabled: Boolean(userId) });
  const [form, setForm] = useState({ name: '', expires: '' });
  const [shown, setShown] = useState<string>();
  const revoke = useMutation({
    mutationFn: (id: string) => api(tenantPath(tenant, 'users', userId!, 'api-tokens', id), { method: 'DELETE' }),
    onSuccess: () => qc.invalidateQueries({ queryKey: key }),
  });
  if (!userId) return <p className={s.muted}>Without sign-in (BATON_AUTH=none) there are no personal API tokens.</p>;
  if (tokens.error) return <ErrorState error={tokens.error} onRetry={() => tokens.refetch()} title="Could not load API tokens" />;
  if (!tokens.data) return <LoadingState />;
  return (
    <>
      <ActionForm
        label="Create an API token"
        submit="Create token"
        action={async () => {
          const created = await api<{ token: string }>(tenantPath(tenant, 'users', userId, 'api-tokens'), {
            body: { name: form.name, expires: form.expires ? new Date(form.expires).toISOString() : undefined },
          });
          setShown(created.token);
          setForm({ name: '', expires: '' });
          await qc.invalidateQueries({ queryKey: key });
        }}
      >
        <Field label="Name" htmlFor="t-name">
          <TextInput id="t-name" required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} placeholder="ci-deploy" />
        </Field>
        <Field label="Expires" htmlFor="t-expires" hint="Empty: never">
          <TextInput id="t-expires" type="date" value={form.expires} onChange={(e) => setForm({ ...form, expires: e.target.value })} />
        </Field>
      </ActionForm>
      {shown ? (
        <p className={s.secret} role="status">
          Copy it now, it is not shown again: <code data-testid="new-token">{shown}</code>
        </p>
      ) : null}
      <table className={ui.table}>
        <thead>
          <tr>
            <th>Name</th>
            <th>Starts with</th>
            <th>Created</th>
            <th>Expires</th>
            <th>Last used</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {tokens.data.map((t) => (
            <tr key={t.id}>
              <td>{t.name}</td>
              <td className={s.mono}>{t.prefix}…</td>
              <td>{when(t.created)}</td>
              <td>{when(t.expires)}</td>
              <td>{when(t.lastUsed)}</td>
              <td style={{ textAlign: 'right' }}>
                {t.revoked ? (
                  <span className={s.muted}>revoked {when(t.revoked)}</span>
                ) : (
                  <Button size="sm" variant="danger" onClick={() => revoke.mutate(t.id)}>
                    Revoke
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** Before and after side by side; keys whose value changed are marked. */
function DiffView({ before, after }: { before: unknown; after: unknown }) {
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  const line = (side: Record<string, unknown>, k: string) => (k in side ? `${k}: ${JSON.stringify(side[k])}` : '');
  const pane = (side: Record<string, unknown>, title: string) => (
    <pre aria-label={title}>
      <strong>{title}</strong>
      {'\n'}
      {keys.map((k) => (
        <div key={k} className={JSON.stringify(b[k]) !== JSON.stringify(a[k]) ? s.changed : undefined}>
          {line(side, k) || ' '}
        </div>
      ))}
    </pre>
  );
  return (
    <div className={s.diff}>
      {pane(b, 'Before')}
      {pane(a, 'After')}
    </div>
  );
}

function AuditTab() {
  const { tenant } = useApp();
  const [filters, setFilters] = useState({ actor: '', action: '', resource: '', namespace: '', from: '', to: '' });
  const [applied, setApplied] = useState(filters);
  const [open, setOpen] = useState<string>();
  const events = useInfiniteQuery({
    queryKey: ['audit', tenant, applied],
    initialPageParam: '',
    queryFn: ({ pageParam }) =>
      api<{ results: AuditEvent[]; next: string | null }>(
        `${tenantPath(tenant, 'auditlogs', 'search')}${query({
          ...applied,
          from: applied.from ? new Date(applied.from).toISOString() : undefined,
          to: applied.to ? new Date(applied.to).toISOString() : undefined,
          cursor: pageParam || undefined,
          size: 50,
        })}`,
      ),
    getNextPageParam: (last) => last.next ?? undefined,
  });
  const rows = events.data?.pages.flatMap((p) => p.results) ?? [];
  const text = (name: keyof typeof filters, label: string, type = 'text') => (
    <Field label={label} htmlFor={`a-${name}`}>
      <TextInput id={`a-${name}`} type={type} value={filters[name]} onChange={(e) => setFilters({ ...filters, [name]: e.target.value })} />
    </Field>
  );
  return (
    <>
      <form
        className={s.form}
        aria-label="Audit filters"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(filters);
        }}
      >
        {text('actor', 'Who (e-mail)')}
        {text('action', 'Action')}
        {text('resource', 'Resource (prefix*)')}
        {text('namespace', 'Namespace')}
        {text('from', 'From', 'datetime-local')}
        {text('to', 'To', 'datetime-local')}
        <Button type="submit" variant="primary">
          Filter
        </Button>
      </form>
      {events.error ? (
        <ErrorState error={events.error} onRetry={() => events.refetch()} title="Could not load the audit log" />
      ) : !events.data ? (
        <LoadingState />
      ) : (
        <table className={ui.table}>
          <thead>
            <tr>
              <th>When</th>
              <th>Who</th>
              <th>Action</th>
              <th>Resource</th>
              <th>Namespace</th>
              <th>From</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => [
              <tr key={r.id} className={s.row} aria-expanded={open === r.id} onClick={() => setOpen(open === r.id ? undefined : r.id)}>
                <td>{when(r.at)}</td>
                <td>{r.actor}</td>
                <td className={s.mono}>{r.action}</td>
                <td className={s.mono}>{r.resource}</td>
                <td className={s.mono}>{r.namespace ?? '—'}</td>
                <td title={r.userAgent ?? undefined}>{r.address ?? '—'}</td>
              </tr>,
              open === r.id ? (
                <tr key={`${r.id}-diff`}>
                  <td colSpan={6}>
                    <DiffView before={r.before} after={r.after} />
                  </td>
                </tr>
              ) : null,
            ])}
          </tbody>
        </table>
      )}
      {events.hasNextPage ? (
        <Button onClick={() => void events.fetchNextPage()} loading={events.isFetchingNextPage}>
          Older events
        </Button>
      ) : null}
    </>
  );
}
