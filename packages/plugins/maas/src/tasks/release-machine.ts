import { defineRuntime, parseDuration } from '@baton/plugin-sdk';
import { MaasClient } from '../client';
import { releaseMachineDefinition } from '../definitions/release-machine';
import { readProps } from '../props';
import { machineState } from '../summary';
import { resumedStart, waitForStatus } from '../wait';

const RELEASED = ['Ready', 'New'];
const IN_PROGRESS = ['Releasing', 'Disk erasing'];

export const releaseMachineRuntime = defineRuntime(releaseMachineDefinition, async (ctx) => {
  const props = readProps(releaseMachineDefinition.props, ctx.props, releaseMachineDefinition.id);
  const client = new MaasClient(ctx, props);
  const { systemId } = props;
  const wait = (startedAt: number, released: boolean) =>
    waitForStatus(ctx, client, {
      op: 'release',
      label: 'release',
      systemId,
      startedAt,
      success: RELEASED,
      failure: ['Releasing failed', 'Failed disk erasing', 'Broken'],
      pollMs: parseDuration(props.pollInterval) ?? 5_000,
    }).then((m) => ({ ...machineState(m, startedAt), released }));

  const resumed = resumedStart(ctx, 'release', systemId);
  if (resumed !== undefined) return wait(resumed, true);

  const machine = await client.getMachine(systemId);
  if (RELEASED.includes(machine.status_name)) {
    ctx.logger.info(`${machine.hostname} (${systemId}) is ${machine.status_name}: nothing to release`);
    return { ...machineState(machine, Date.now()), released: false };
  }
  if (IN_PROGRESS.includes(machine.status_name)) return props.waitForRelease ? wait(Date.now(), false) : { ...machineState(machine, Date.now()), released: false };

  const startedAt = Date.now();
  const started = await client.machineOp(systemId, 'release', {
    erase: props.erase,
    secure_erase: props.secureErase,
    quick_erase: props.quickErase,
    force: props.force,
    comment: props.comment,
  });
  ctx.heartbeat({ op: 'release', systemId, startedAt, status: started.status_name, elapsedMs: 0 });
  ctx.logger.info(`release of ${started.hostname} (${systemId}) started${props.erase ? ' with disk erasure' : ''}: ${started.status_name}`);
  if (!props.waitForRelease) return { ...machineState(started, startedAt), released: true };
  return wait(startedAt, true);
});
