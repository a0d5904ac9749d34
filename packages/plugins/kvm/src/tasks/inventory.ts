import { defineRuntime } from '@baton/plugin-sdk';
import { getVmDefinition, listVmsDefinition } from '../definitions/inventory';
import { uuidToString } from '../libvirt/protocol';
import { parseStateName, readProps, withClient } from '../session';
import { disksOf, interfacesOf } from '../xml/domain-xml';
import { parseXml } from '../xml/parse';

export const listVmsRuntime = defineRuntime(listVmsDefinition, async (ctx) => {
  const props = readProps(listVmsDefinition.props, ctx.props, listVmsDefinition.id);
  const wanted = props.statusFilter === undefined ? undefined : new Set((Array.isArray(props.statusFilter) ? props.statusFilter : [props.statusFilter]).map(parseStateName));
  return withClient(ctx, props, async (client) => {
    const all = await client.listAll();
    const vms = all.filter((d) => !wanted || wanted.has(d.stateCode)).map((d) => ({ name: d.name, uuid: d.uuid, state: d.state, id: d.id }));
    ctx.logger.info(`${vms.length} of ${all.length} domains on ${client.uri}${wanted ? ' in the asked states' : ''}`);
    return { vms, count: vms.length };
  });
});

export const getVmRuntime = defineRuntime(getVmDefinition, async (ctx) => {
  const props = readProps(getVmDefinition.props, ctx.props, getVmDefinition.id);
  return withClient(ctx, props, async (client) => {
    const dom = await client.lookupByName(props.name);
    const state = await client.getState(dom);
    const info = await client.getInfo(dom);
    const xml = await client.getXml(dom);
    const root = parseXml(xml);
    return {
      name: dom.name,
      uuid: uuidToString(dom.uuid),
      id: dom.id,
      state: state.name,
      stateReason: state.reason,
      vcpus: info.vcpus,
      memoryKiB: info.memoryKiB,
      maxMemoryKiB: info.maxMemKiB,
      disks: disksOf(root),
      interfaces: interfacesOf(root),
      xml,
    };
  });
});
