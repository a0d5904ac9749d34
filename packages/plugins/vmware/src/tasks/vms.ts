import { PluginError, defineRuntime, isPluginError } from '@baton/plugin-sdk';
import {
  cloneTemplateDefinition,
  cloneVmDefinition,
  convertToTemplateDefinition,
  createVmDefinition,
  deleteVmDefinition,
  listVmsDefinition,
  rebootVmDefinition,
  resetVmDefinition,
  startVmDefinition,
  stopVmDefinition,
  suspendVmDefinition,
  updateVmDefinition,
} from '../definitions/vms';
import { readProps, runVimTask, vmOutput, withClient } from '../session';
import type { VimClient } from '../vim/client';
import { moRefOf, moRefXml, type MoRef } from '../vim/soap';
import { element } from '../vim/xml';
import type { TaskContext } from '@baton/plugin-sdk';

interface Placement {
  datastoreName?: string;
  resourcePoolName?: string;
  hostname?: string;
}

/** Resolves the optional placement names to morefs, with the list of valid names when one is wrong. */
async function placement(client: VimClient, p: Placement) {
  const datastore = p.datastoreName !== undefined ? (await client.pick('Datastore', p.datastoreName, 'datastore')).ref : undefined;
  const pool = p.resourcePoolName !== undefined ? (await client.pick('ResourcePool', p.resourcePoolName, 'resource pool')).ref : undefined;
  const host = p.hostname !== undefined ? (await client.pick('HostSystem', p.hostname, 'ESXi host')).ref : undefined;
  return { datastore, pool, host };
}

const refOrEmpty = (name: string, ref: MoRef | undefined) => (ref ? moRefXml(name, ref) : '');

export const createVmRuntime = defineRuntime(createVmDefinition, async (ctx) => {
  const props = readProps(createVmDefinition.props, ctx.props, createVmDefinition.id);
  return withClient(ctx, props, async (client) => {
    const existing = await client.findVm(props.vmName);
    if (existing) {
      ctx.logger.info(`a VM named '${props.vmName}' exists already (${existing.ref.value}); not creating it again`);
      return { ...vmOutput(existing.info), created: false };
    }
    const datacenter = await client.pick('Datacenter', undefined, 'datacenter', ['vmFolder']);
    const vmFolder = moRefOf(datacenter.props.get('vmFolder'))!;
    const ds = await client.pick('Datastore', props.datastoreName, 'datastore');
    const where = await placement(client, { resourcePoolName: props.resourcePoolName, hostname: props.hostname });
    const pool = where.pool ?? (await client.pick('ResourcePool', undefined, 'resource pool')).ref;
    const config =
      '<config>' +
      element('name', props.vmName) +
      element('guestId', props.guestId) +
      element('annotation', props.annotation) +
      `<files>${element('vmPathName', `[${ds.props.get('name')!.text}]`)}</files>` +
      element('numCPUs', props.numCpu) +
      element('memoryMB', props.memoryMB) +
      '</config>';
    const state = await runVimTask(ctx, client, { op: 'create', vm: props.vmName, label: 'creation', waitTimeout: props.waitTimeout }, () =>
      client.startTask('CreateVM_Task', vmFolder, config + moRefXml('pool', pool) + refOrEmpty('host', where.host)),
    );
    const ref = moRefOf(state.result) ?? (await client.mustFindVm(props.vmName)).ref;
    if (props.powerOn) await powerOn(ctx, client, ref, props.vmName, props.waitTimeout);
    return { ...vmOutput(await client.vmInfo(ref)), created: true };
  });
});

async function powerOn(ctx: TaskContext<unknown>, client: VimClient, ref: MoRef, vmName: string, waitTimeout: string) {
  await runVimTask(ctx, client, { op: 'powerOn', vm: vmName, label: 'power-on', waitTimeout }, () => client.startTask('PowerOnVM_Task', ref));
}

export const deleteVmRuntime = defineRuntime(deleteVmDefinition, async (ctx) => {
  const props = readProps(deleteVmDefinition.props, ctx.props, deleteVmDefinition.id);
  return withClient(ctx, props, async (client) => {
    const found = await client.findVm(props.vmName);
    if (!found) {
      if (props.failIfNotFound) await client.mustFindVm(props.vmName);
      ctx.logger.info(`no VM named '${props.vmName}'; nothing to delete`);
      return { vmName: props.vmName, vmId: '', deleted: false };
    }
    if (found.info.powerState !== 'poweredOff') {
      await runVimTask(ctx, client, { op: 'powerOff', vm: props.vmName, label: 'power-off before deletion', waitTimeout: props.waitTimeout }, () =>
        client.startTask('PowerOffVM_Task', found.ref),
      );
    }
    await runVimTask(ctx, client, { op: 'destroy', vm: props.vmName, label: 'deletion', waitTimeout: props.waitTimeout }, () => client.startTask('Destroy_Task', found.ref));
    return { vmName: props.vmName, vmId: found.ref.value, deleted: true };
  });
});

/** Power operations: skip when the VM is in the target state already, refuse from the wrong state. */
function powerRuntime(
  definition: typeof startVmDefinition,
  spec: { method: string; op: string; label: string; doneKey: string; skipIf: string[]; refuseIf: string[]; refuseAdvice: string },
) {
  return defineRuntime(definition, async (ctx) => {
    const props = readProps(definition.props, ctx.props, definition.id);
    return withClient(ctx, props, async (client) => {
      const { ref, info } = await client.mustFindVm(props.vmName);
      if (info.template) throw new PluginError('CONFLICT', `'${props.vmName}' is a template; templates have no power state (clone it into a VM first)`, { retryable: false });
      const resumed = ctx.resumeDetails !== undefined;
      if (!resumed && spec.skipIf.includes(info.powerState)) {
        ctx.logger.info(`VM '${props.vmName}' is ${info.powerState} already; nothing to do`);
        return { ...vmOutput(info), [spec.doneKey]: false } as never;
      }
      if (!resumed && spec.refuseIf.includes(info.powerState)) {
        throw new PluginError('CONFLICT', `VM '${props.vmName}' is ${info.powerState}: ${spec.refuseAdvice}`, { retryable: false });
      }
      await runVimTask(ctx, client, { op: spec.op, vm: props.vmName, label: spec.label, waitTimeout: props.waitTimeout }, () => client.startTask(spec.method, ref));
      return { ...vmOutput(await client.vmInfo(ref)), [spec.doneKey]: true } as never;
    });
  });
}

export const startVmRuntime = powerRuntime(startVmDefinition, {
  method: 'PowerOnVM_Task',
  op: 'powerOn',
  label: 'power-on',
  doneKey: 'started',
  skipIf: ['poweredOn'],
  refuseIf: [],
  refuseAdvice: '',
});
export const stopVmRuntime = powerRuntime(stopVmDefinition, {
  method: 'PowerOffVM_Task',
  op: 'powerOff',
  label: 'power-off',
  doneKey: 'stopped',
  skipIf: ['poweredOff'],
  refuseIf: [],
  refuseAdvice: '',
});
export const resetVmRuntime = powerRuntime(resetVmDefinition, {
  method: 'ResetVM_Task',
  op: 'reset',
  label: 'reset',
  doneKey: 'reset',
  skipIf: [],
  refuseIf: ['poweredOff', 'suspended'],
  refuseAdvice: 'only a powered-on VM can be reset; start it with StartVm',
});
export const suspendVmRuntime = powerRuntime(suspendVmDefinition, {
  method: 'SuspendVM_Task',
  op: 'suspend',
  label: 'suspension',
  doneKey: 'suspended',
  skipIf: ['suspended'],
  refuseIf: ['poweredOff'],
  refuseAdvice: 'only a powered-on VM can be suspended',
});

export const rebootVmRuntime = defineRuntime(rebootVmDefinition, async (ctx) => {
  const props = readProps(rebootVmDefinition.props, ctx.props, rebootVmDefinition.id);
  return withClient(ctx, props, async (client) => {
    const { ref, info } = await client.mustFindVm(props.vmName);
    if (info.powerState !== 'poweredOn')
      throw new PluginError('CONFLICT', `VM '${props.vmName}' is ${info.powerState}; only a running guest can be rebooted (StartVm first)`, { retryable: false });
    try {
      await client.call('RebootGuest', ref);
      ctx.logger.info(`guest reboot of '${props.vmName}' requested through VMware Tools`);
      return { ...vmOutput(await client.vmInfo(ref)), rebooted: true, hardReset: false };
    } catch (error) {
      if (!(props.force && isPluginError(error) && error.details?.fault === 'ToolsUnavailable')) throw error;
    }
    ctx.logger.warn(`VMware Tools do not run in '${props.vmName}': resetting it (force: true), the guest gets no chance to shut down cleanly`);
    await runVimTask(ctx, client, { op: 'reset', vm: props.vmName, label: 'reset', waitTimeout: props.waitTimeout }, () => client.startTask('ResetVM_Task', ref));
    return { ...vmOutput(await client.vmInfo(ref)), rebooted: true, hardReset: true };
  });
});

export const updateVmRuntime = defineRuntime(updateVmDefinition, async (ctx) => {
  const props = readProps(updateVmDefinition.props, ctx.props, updateVmDefinition.id);
  return withClient(ctx, props, async (client) => {
    const { ref } = await client.mustFindVm(props.vmName);
    if ([props.numCpu, props.memoryMB, props.annotation, props.newName].every((v) => v === undefined)) {
      throw new PluginError('INVALID_PROPERTIES', 'nothing to change: give at least one of numCpu, memoryMB, annotation, newName', { retryable: false });
    }
    const spec =
      '<spec>' + element('name', props.newName) + element('annotation', props.annotation) + element('numCPUs', props.numCpu) + element('memoryMB', props.memoryMB) + '</spec>';
    await runVimTask(ctx, client, { op: 'reconfigure', vm: props.vmName, label: 'reconfiguration', waitTimeout: props.waitTimeout }, () =>
      client.startTask('ReconfigVM_Task', ref, spec),
    );
    const info = await client.vmInfo(ref);
    return { ...vmOutput(info), numCpu: info.numCpu, memoryMB: info.memoryMB };
  });
});

export const listVmsRuntime = defineRuntime(listVmsDefinition, async (ctx) => {
  const props = readProps(listVmsDefinition.props, ctx.props, listVmsDefinition.id);
  return withClient(ctx, props, async (client) => {
    const regex = props.nameRegex !== undefined ? new RegExp(props.nameRegex) : undefined;
    const vms = (await client.listVms())
      .filter((vm) => (regex ? regex.test(vm.name) : true))
      .filter((vm) => (props.powerState ? vm.powerState === props.powerState : true))
      .filter((vm) => props.includeTemplates || !vm.template)
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((vm) => ({ ...vmOutput(vm), guestId: vm.guestId, numCpu: vm.numCpu, memoryMB: vm.memoryMB }));
    return { vms, count: vms.length };
  });
});

async function cloneInto(
  ctx: TaskContext<unknown>,
  client: VimClient,
  args: { source: string; target: string; template: boolean; powerOn: boolean; placement: Placement; waitTimeout: string; requireTemplate?: boolean },
) {
  if (!client.isVCenter)
    throw new PluginError('CONFLICT', `cloning needs vCenter; ${client.transport.endpoint} is a standalone ESXi host (${client.content.apiType})`, { retryable: false });
  const source = await client.mustFindVm(args.source);
  if (args.requireTemplate && !source.info.template)
    throw new PluginError('CONFLICT', `'${args.source}' is a VM, not a template; use CloneVm, or ConvertToTemplate first`, { retryable: false });
  const existing = await client.findVm(args.target);
  if (existing) {
    ctx.logger.info(`a VM named '${args.target}' exists already (${existing.ref.value}); not cloning again`);
    return { ...vmOutput(existing.info), cloned: false, sourceVmId: source.ref.value };
  }
  const folder = moRefOf((await client.objectProps(source.ref, ['parent'])).get('parent'))!;
  const where = await placement(client, args.placement);
  // A template has no pool of its own, and a clone of one needs a pool to place it (vcsim insists
  // even for a template target; vCenter accepts one).
  const pool = where.pool ?? (source.info.template ? (await client.pick('ResourcePool', undefined, 'resource pool')).ref : undefined);
  const spec =
    '<spec><location>' +
    refOrEmpty('datastore', where.datastore) +
    refOrEmpty('pool', pool) +
    refOrEmpty('host', where.host) +
    '</location>' +
    element('template', args.template) +
    element('powerOn', args.powerOn && !args.template) +
    '</spec>';
  const state = await runVimTask(ctx, client, { op: 'clone', vm: args.target, label: `clone of '${args.source}'`, waitTimeout: args.waitTimeout }, () =>
    client.startTask('CloneVM_Task', source.ref, moRefXml('folder', folder) + element('name', args.target) + spec),
  );
  const ref = moRefOf(state.result) ?? (await client.mustFindVm(args.target)).ref;
  // vCenter powers the clone on within the clone task; a server that did not (vcsim) gets a power-on.
  if (args.powerOn && !args.template && (await client.vmInfo(ref)).powerState !== 'poweredOn') await powerOn(ctx, client, ref, args.target, args.waitTimeout);
  return { ...vmOutput(await client.vmInfo(ref)), cloned: true, sourceVmId: source.ref.value };
}

export const cloneVmRuntime = defineRuntime(cloneVmDefinition, async (ctx) => {
  const props = readProps(cloneVmDefinition.props, ctx.props, cloneVmDefinition.id);
  return withClient(ctx, props, (client) =>
    cloneInto(ctx, client, { source: props.vmName, target: props.cloneName, template: false, powerOn: props.powerOn, placement: props, waitTimeout: props.waitTimeout }),
  );
});

export const cloneTemplateRuntime = defineRuntime(cloneTemplateDefinition, async (ctx) => {
  const props = readProps(cloneTemplateDefinition.props, ctx.props, cloneTemplateDefinition.id);
  return withClient(ctx, props, (client) =>
    cloneInto(ctx, client, {
      source: props.templateName,
      target: props.targetTemplateName,
      template: true,
      powerOn: false,
      placement: props,
      waitTimeout: props.waitTimeout,
      requireTemplate: true,
    }),
  );
});

export const convertToTemplateRuntime = defineRuntime(convertToTemplateDefinition, async (ctx) => {
  const props = readProps(convertToTemplateDefinition.props, ctx.props, convertToTemplateDefinition.id);
  return withClient(ctx, props, async (client) => {
    const { ref, info } = await client.mustFindVm(props.vmName);
    if (info.template) {
      ctx.logger.info(`'${props.vmName}' is a template already`);
      return { ...vmOutput(info), converted: false };
    }
    if (info.powerState !== 'poweredOff')
      throw new PluginError('CONFLICT', `VM '${props.vmName}' is ${info.powerState}; power it off (StopVm) before converting it to a template`, { retryable: false });
    await client.call('MarkAsTemplate', ref);
    return { ...vmOutput(await client.vmInfo(ref)), converted: true };
  });
});
