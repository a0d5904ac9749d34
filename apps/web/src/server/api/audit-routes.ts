import 'server-only';
import { AppError } from '@baton/engine';
import { services } from '../services';
import { date } from './filters';
import type { Router } from './handler';

function size(v: string | null) {
  if (v === null || v === '') return undefined;
  if (!/^\d{1,6}$/.test(v) || Number(v) < 1) throw new AppError('BAD_REQUEST', 'size is a whole number from 1 (values above 200 are capped)');
  return Number(v);
}

export function addAuditRoutes(router: Router) {
  return router.add(
    'GET',
    '/api/v1/:tenant/auditlogs/search',
    async ({ params, url, caller }) => {
      const q = (name: string) => url.searchParams.get(name) || undefined;
      return services().audit.search(
        params.tenant,
        {
          actor: q('actor'),
          action: q('action'),
          resource: q('resource'),
          namespace: q('namespace'),
          from: date(url.searchParams.get('from'), 'from'),
          to: date(url.searchParams.get('to'), 'to'),
          // Sign-ins are instance-wide: only the instance administrator sees them.
          includeInstance: caller.instanceAdmin,
        },
        { size: size(url.searchParams.get('size')), cursor: q('cursor') },
      );
    },
    {
      summary: 'The audit log, newest first (keyset pages: ?cursor=<next>)',
      params: { tenant: 'Tenant id' },
      query: {
        actor: { description: 'Who (e-mail)' },
        action: { description: 'e.g. flow.saved, execution.killed, binding.created, auth.signin.failed' },
        resource: { description: 'e.g. flow:team.a/deploy, or a prefix ending in * (flow:team.a/*)' },
        namespace: { description: 'Namespace, including its children' },
        from: { description: 'At or after (ISO-8601)' },
        to: { description: 'At or before (ISO-8601)' },
        size: { description: 'Page size, at most 200', type: 'integer' },
        cursor: { description: '`next` of the previous page' },
      },
      readOnly: true,
    },
  );
}
