import { PluginError, defineRuntime, type TaskContext } from '@baton/plugin-sdk';
import { createVmDefinition, deleteVmDefinition, resumeVmDefinition, startVmDefinition, stopVmDefinition, suspendVmDefinition, updateVmDefinition } from '../definitions/lifecycle';
import type { LibvirtClient } from '../libvirt/client';
import { isLibvirtError, VirErr } from '../libvirt/errors';
import { DomainState, uuidToString, type DomainRef } from '../libvirt/protocol';
import { ACTIVE_STATES, checkXml, defineDomain, findDomain, readProps, resumedStart, vmSummary, waitForState, withClient } from '../session';
import { disksOf } from '../xml/domain-xml';
import { parseXml } from '../xml/parse';

async function mustFind(client: LibvirtClient, name: string): Promise<DomainRef> {
  return client.lookupByName(name); // NO_DOMAIN becomes NOT_FOUND with advice (errors.ts)
}

/** Boots the domain unless it runs; waits when asked. Shared by Create, Start and Clone. */
async function startDomain(ctx: TaskContext<unknown>, client: LibvirtClient, dom: DomainRef, opts: { wait: boolean; timeToWait: string }): Promise<{ started: boolean }> {
  const waitRunning = (startedAt: number) =>
    waitForState(ctx, client, dom, {
      op: 'start',
      label: 'start',
      startedAt,
      target: [DomainState.RUNNING],
      failOn: [DomainState.PAUSED, DomainState.CRASHED, DomainState.SHUTOFF],
      timeToWait: opts.timeToWait,
    });
  const resumed = resumedStart(ctx, 'start', dom.name);
  if (resumed !== undefined) {
    ctx.logger.info(`resuming the wait for domain '${dom.name}' started by the previous attempt (not starting it again)`);
    await waitRunning(resumed);
    return { started: true };
  }
  const { state, name } = await client.getState(dom);
  if (state === DomainState.RUNNING) {
    ctx.logger.info(`domain '${dom.name}' is running already; not starting it`);
    return { started: false };
  }
  if (state === DomainState.PAUSED)
    throw new PluginError('CONFLICT', `domain '${dom.name}' is paused, not shut off; resume it (ResumeVm) instead of starting it`, { retryable: false });
  if (ACTIVE_STATES.includes(state)) throw new PluginError('CONFLICT', `domain '${dom.name}' is ${name}; it can only be started when shut off`, { retryable: false });
  const startedAt = Date.now();
  await client.create(dom);
  ctx.heartbeat({ op: 'start', name: dom.name, startedAt, state: 'started', elapsedMs: 0 });
  ctx.logger.info(`domain '${dom.name}' started`);
  if (opts.wait) await waitRunning(startedAt);
  return { started: true };
}

export const createVmRuntime = defineRuntime(createVmDefinition, async (ctx) => {
  const props = readProps(createVmDefinition.props, ctx.props, createVmDefinition.id);
  const { uuid } = await checkXml(ctx, props.xmlDefinition, props.name);
  return withClient(ctx, props, async (client) => {
    const { dom, existed } = await defineDomain(client, props.xmlDefinition, props.name, uuid);
    ctx.logger.info(`domain '${dom.name}' ${existed ? 'updated' : 'defined'} (${uuidToString(dom.uuid)})`);
    const { started } = props.startAfterCreate ? await startDomain(ctx, client, dom, { wait: props.waitForRunning, timeToWait: props.timeToWait }) : { started: false };
    return { ...(await vmSummary(client, dom)), created: !existed, started };
  });
});

export const startVmRuntime = defineRuntime(startVmDefinition, async (ctx) => {
  const props = readProps(startVmDefinition.props, ctx.props, startVmDefinition.id);
  return withClient(ctx, props, async (client) => {
    const dom = await mustFind(client, props.name);
    const { started } = await startDomain(ctx, client, dom, { wait: props.waitForRunning, timeToWait: props.timeToWait });
    return { ...(await vmSummary(client, dom)), started };
  });
});

export const stopVmRuntime = defineRuntime(stopVmDefinition, async (ctx) => {
  const props = readProps(stopVmDefinition.props, ctx.props, stopVmDefinition.id);
  const op = props.force ? 'destroy' : 'shutdown';
  return withClient(ctx, props, async (client) => {
    const dom = await mustFind(client, props.name);
    const waitStopped = (startedAt: number) =>
      waitForState(ctx, client, dom, {
        op,
        label: props.force ? 'power-off' : 'shutdown',
        startedAt,
        target: [DomainState.SHUTOFF],
        failOn: [DomainState.PAUSED, DomainState.CRASHED],
        timeToWait: props.timeToWait,
        onTimeout: props.force ? undefined : 'The guest may ignore ACPI shutdown requests (no OS, no acpid or guest agent): stop it with force: true',
      });
    const resumed = resumedStart(ctx, op, dom.name);
    if (resumed !== undefined) {
      ctx.logger.info(`resuming the wait for the ${op} of domain '${dom.name}' asked by the previous attempt (not asking again)`);
      await waitStopped(resumed);
      return { ...(await vmSummary(client, dom)), stopped: true };
    }
    const { state } = await client.getState(dom);
    if (state === DomainState.SHUTOFF) {
      ctx.logger.info(`domain '${dom.name}' is shut off already`);
      return { ...(await vmSummary(client, dom)), stopped: false };
    }
    const startedAt = Date.now();
    if (props.force) await client.destroy(dom);
    else await client.shutdown(dom);
    ctx.heartbeat({ op, name: dom.name, startedAt, state: 'requested', elapsedMs: 0 });
    ctx.logger.info(props.force ? `domain '${dom.name}' destroyed (powered off)` : `shutdown requested for domain '${dom.name}'`);
    if (props.waitForStopped) await waitStopped(startedAt);
    return { ...(await vmSummary(client, dom)), stopped: true };
  });
});

export const updateVmRuntime = defineRuntime(updateVmDefinition, async (ctx) => {
  const props = readProps(updateVmDefinition.props, ctx.props, updateVmDefinition.id);
  const { uuid } = await checkXml(ctx, props.xmlDefinition, props.name);
  return withClient(ctx, props, async (client) => {
    const existing = await findDomain(client, props.name);
    if (!existing) throw new PluginError('NOT_FOUND', `domain '${props.name}' does not exist on ${client.uri}; create it with CreateVm`, { retryable: false });
    const { dom } = await defineDomain(client, props.xmlDefinition, props.name, uuid);
    ctx.logger.info(`definition of domain '${dom.name}' updated`);
    let wasRestarted = false;
    // A restart interrupted after the destroy (worker lost) finishes with a start, not a second destroy.
    const resumed = resumedStart(ctx, 'restart', dom.name);
    const { state } = await client.getState(dom);
    if (props.restart && (state === DomainState.RUNNING || state === DomainState.PAUSED)) {
      ctx.logger.info(`restarting domain '${dom.name}' so the new definition applies`);
      await client.destroy(dom);
      ctx.heartbeat({ op: 'restart', name: dom.name, startedAt: Date.now(), state: 'destroyed', elapsedMs: 0 });
      await client.create(dom);
      wasRestarted = true;
    } else if (props.restart && resumed !== undefined && state === DomainState.SHUTOFF) {
      await client.create(dom);
      wasRestarted = true;
    } else if (props.restart) ctx.logger.info(`domain '${dom.name}' is not running; the new definition applies at its next start`);
    return { ...(await vmSummary(client, dom)), wasRestarted };
  });
});

export const deleteVmRuntime = defineRuntime(deleteVmDefinition, async (ctx) => {
  const props = readProps(deleteVmDefinition.props, ctx.props, deleteVmDefinition.id);
  return withClient(ctx, props, async (client) => {
    const dom = await findDomain(client, props.name);
    if (!dom) {
      if (props.failIfNotFound) await mustFind(client, props.name); // throws NOT_FOUND with advice
      ctx.logger.warn(`domain '${props.name}' does not exist; nothing to delete`);
      return { name: props.name, deleted: false, deletedVolumes: [] };
    }
    const disks = props.deleteStorage ? disksOf(parseXml(await client.getXml(dom, true))).filter((d) => d.device === 'disk' && d.source) : [];
    const { state } = await client.getState(dom);
    if (state !== DomainState.SHUTOFF) {
      await client.destroy(dom);
      ctx.logger.info(`domain '${dom.name}' was ${state === DomainState.RUNNING ? 'running' : 'active'}; powered off`);
    }
    await client.undefine(dom);
    ctx.logger.info(`domain '${dom.name}' undefined`);
    const deletedVolumes: string[] = [];
    for (const disk of disks) {
      try {
        // type='volume' disks name their pool and volume; file and block disks are found by path.
        const vol = disk.pool ? await client.volByName(await client.poolByName(disk.pool), disk.source!) : await client.volByPath(disk.source!);
        const path = await client.volPath(vol);
        await client.deleteVol(vol);
        deletedVolumes.push(path);
        ctx.logger.info(`volume ${path} deleted`);
      } catch (error) {
        if (!isLibvirtError(error, VirErr.NO_STORAGE_VOL) && !isLibvirtError(error, VirErr.NO_STORAGE_POOL)) throw error;
        ctx.logger.warn(`disk ${disk.source} (${disk.target}) is not a volume of a libvirt storage pool; kept. Delete it by hand or put it in a pool`);
      }
    }
    return { name: props.name, deleted: true, deletedVolumes };
  });
});

export const suspendVmRuntime = defineRuntime(suspendVmDefinition, async (ctx) => {
  const props = readProps(suspendVmDefinition.props, ctx.props, suspendVmDefinition.id);
  return withClient(ctx, props, async (client) => {
    const dom = await mustFind(client, props.name);
    const { state, name } = await client.getState(dom);
    if (state === DomainState.PAUSED) return { ...(await vmSummary(client, dom)), changed: false };
    if (state !== DomainState.RUNNING && state !== DomainState.BLOCKED)
      throw new PluginError('CONFLICT', `domain '${dom.name}' is ${name}; only a running domain can be suspended`, { retryable: false });
    await client.suspend(dom);
    ctx.logger.info(`domain '${dom.name}' suspended`);
    return { ...(await vmSummary(client, dom)), changed: true };
  });
});

export const resumeVmRuntime = defineRuntime(resumeVmDefinition, async (ctx) => {
  const props = readProps(resumeVmDefinition.props, ctx.props, resumeVmDefinition.id);
  return withClient(ctx, props, async (client) => {
    const dom = await mustFind(client, props.name);
    const { state, name } = await client.getState(dom);
    if (state === DomainState.RUNNING) return { ...(await vmSummary(client, dom)), changed: false };
    if (state !== DomainState.PAUSED)
      throw new PluginError('CONFLICT', `domain '${dom.name}' is ${name}, not paused; ${state === DomainState.SHUTOFF ? 'start it with StartVm' : 'nothing to resume'}`, {
        retryable: false,
      });
    await client.resume(dom);
    ctx.logger.info(`domain '${dom.name}' resumed`);
    return { ...(await vmSummary(client, dom)), changed: true };
  });
});

export { startDomain };
