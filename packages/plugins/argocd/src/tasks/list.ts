import { defineRuntime } from '@baton/plugin-sdk';
import { ArgoCdClient } from '../client';
import { listDefinition } from '../definitions/list';
import { readProps } from '../props';
import { healthStatusOf, syncStatusOf } from '../summary';

export const listRuntime = defineRuntime(listDefinition, async (ctx) => {
  const props = readProps(listDefinition.props, ctx.props, listDefinition.id);
  const client = await ArgoCdClient.connect(ctx, props);
  const list = await client.listApplications({
    projects: props.projects,
    selector: props.selector,
    name: props.name,
    repo: props.repo,
    appNamespace: props.appNamespace,
  });
  const applications = (list.items ?? [])
    .map((app) => ({
      name: app.metadata.name,
      ...(app.metadata.namespace ? { namespace: app.metadata.namespace } : {}),
      project: app.spec?.project ?? 'default',
      syncStatus: syncStatusOf(app),
      healthStatus: healthStatusOf(app),
      ...(app.status?.sync?.revision ? { revision: app.status.sync.revision } : {}),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
  ctx.logger.info(`found ${applications.length} application(s) on ${client.server}`);
  return { applications, names: applications.map((a) => a.name), count: applications.length };
});
