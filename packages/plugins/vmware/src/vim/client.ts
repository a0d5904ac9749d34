// The vim25 calls the VMware tasks use: login, the property collector (through a container view to
// find objects by name), VM methods that start Tasks, task state, snapshots and events.
import { PluginError } from '@baton/plugin-sdk';
import { SoapTransport, moRefOf, moRefXml, type MoRef, type TransportOptions } from './soap';
import { child, childrenNamed, element, textAt, type XmlElement } from './xml';

export interface ServiceContent {
  rootFolder: MoRef;
  propertyCollector: MoRef;
  viewManager: MoRef;
  sessionManager: MoRef;
  eventManager?: MoRef;
  /** "VirtualCenter" or "HostAgent" (a standalone ESXi host). */
  apiType: string;
  apiVersion: string;
}

/** One object's properties as the collector returned them (values are XML elements). */
export interface ObjectProps {
  ref: MoRef;
  props: Map<string, XmlElement>;
}

export interface VmInfo {
  name: string;
  moref: string;
  uuid?: string;
  instanceUuid?: string;
  powerState: string;
  template: boolean;
  guestId?: string;
  numCpu?: number;
  memoryMB?: number;
  annotation?: string;
}

export const VM_PROPS = [
  'name',
  'runtime.powerState',
  'config.uuid',
  'config.instanceUuid',
  'config.template',
  'config.guestId',
  'config.hardware.numCPU',
  'config.hardware.memoryMB',
  'config.annotation',
];

const SERVICE_INSTANCE: MoRef = { type: 'ServiceInstance', value: 'ServiceInstance' };

export interface TaskState {
  state: 'queued' | 'running' | 'success' | 'error';
  progress?: number;
  result?: XmlElement;
  error?: string;
  faultType?: string;
}

export class VimClient {
  private constructor(
    readonly transport: SoapTransport,
    readonly content: ServiceContent,
  ) {}

  get isVCenter(): boolean {
    return this.content.apiType === 'VirtualCenter';
  }

  /** Connects and logs in. The password goes only into the Login body. */
  static async connect(opts: TransportOptions & { username: string; password: string }): Promise<VimClient> {
    const transport = new SoapTransport(opts);
    try {
      const res = await transport.call('RetrieveServiceContent', SERVICE_INSTANCE);
      const sc = child(res, 'returnval');
      const ref = (name: string) => moRefOf(child(sc, name));
      const content: ServiceContent = {
        rootFolder: ref('rootFolder')!,
        propertyCollector: ref('propertyCollector')!,
        viewManager: ref('viewManager')!,
        sessionManager: ref('sessionManager')!,
        eventManager: ref('eventManager'),
        apiType: textAt(sc, 'about', 'apiType') ?? 'unknown',
        apiVersion: textAt(sc, 'about', 'apiVersion') ?? 'unknown',
      };
      await transport.call('Login', content.sessionManager, element('userName', opts.username) + element('password', opts.password));
      return new VimClient(transport, content);
    } catch (error) {
      transport.close();
      throw error;
    }
  }

  async logout(): Promise<void> {
    try {
      await this.transport.call('Logout', this.content.sessionManager);
    } catch {
      // The session ends with its timeout anyway; a failed logout must not fail the task.
    } finally {
      this.transport.close();
    }
  }

  /** Properties of every object of `type` under the root folder (a container view, destroyed after). */
  async listObjects(type: string, paths: string[]): Promise<ObjectProps[]> {
    const viewRes = await this.transport.call(
      'CreateContainerView',
      this.content.viewManager,
      moRefXml('container', this.content.rootFolder) + element('type', type) + element('recursive', true),
    );
    const view = moRefOf(child(viewRes, 'returnval'))!;
    try {
      const objectSet =
        `<objectSet>${moRefXml('obj', view)}<skip>true</skip>` +
        `<selectSet xsi:type="TraversalSpec"><name>view</name><type>ContainerView</type><path>view</path><skip>false</skip></selectSet></objectSet>`;
      return await this.retrieve(type, paths, objectSet);
    } finally {
      await this.transport.call('DestroyView', view).catch(() => undefined);
    }
  }

  /** Properties of one object. */
  async objectProps(ref: MoRef, paths: string[]): Promise<Map<string, XmlElement>> {
    const found = await this.retrieve(ref.type, paths, `<objectSet>${moRefXml('obj', ref)}<skip>false</skip></objectSet>`);
    if (!found[0]) throw new PluginError('NOT_FOUND', `${ref.type} ${ref.value} no longer exists on ${this.transport.endpoint}`, { retryable: false });
    return found[0].props;
  }

  private async retrieve(type: string, paths: string[], objectSet: string): Promise<ObjectProps[]> {
    const propSet = `<propSet>${element('type', type)}${paths.map((p) => element('pathSet', p)).join('')}</propSet>`;
    const out: ObjectProps[] = [];
    let res = await this.transport.call('RetrievePropertiesEx', this.content.propertyCollector, `<specSet>${propSet}${objectSet}</specSet><options></options>`);
    for (;;) {
      const ret = child(res, 'returnval');
      for (const obj of childrenNamed(ret, 'objects')) {
        const props = new Map<string, XmlElement>();
        for (const p of childrenNamed(obj, 'propSet')) {
          const val = child(p, 'val');
          if (val) props.set(textAt(p, 'name') ?? '', val);
        }
        out.push({ ref: moRefOf(child(obj, 'obj'))!, props });
      }
      const token = textAt(ret, 'token');
      if (!token) return out;
      res = await this.transport.call('ContinueRetrievePropertiesEx', this.content.propertyCollector, element('token', token));
    }
  }

  async listVms(): Promise<VmInfo[]> {
    return (await this.listObjects('VirtualMachine', VM_PROPS)).map(toVmInfo);
  }

  /** The VM (or template) of that name, or undefined. Two of the same name are refused as ambiguous. */
  async findVm(name: string): Promise<{ ref: MoRef; info: VmInfo } | undefined> {
    const matches = (await this.listObjects('VirtualMachine', VM_PROPS)).filter((o) => o.props.get('name')?.text === name);
    if (matches.length > 1) {
      throw new PluginError('CONFLICT', `${matches.length} VMs are named '${name}' (${matches.map((m) => m.ref.value).join(', ')}); rename one so the name is unique`, {
        retryable: false,
      });
    }
    return matches[0] ? { ref: matches[0].ref, info: toVmInfo(matches[0]) } : undefined;
  }

  async mustFindVm(name: string): Promise<{ ref: MoRef; info: VmInfo }> {
    const found = await this.findVm(name);
    if (!found)
      throw new PluginError(
        'NOT_FOUND',
        `no VM named '${name}' on ${this.content.apiType === 'HostAgent' ? 'ESXi host' : 'vCenter'} ${this.transport.endpoint}; List shows the VMs there`,
        { retryable: false },
      );
    return found;
  }

  async vmInfo(ref: MoRef): Promise<VmInfo> {
    return toVmInfo({ ref, props: await this.objectProps(ref, VM_PROPS) });
  }

  /** Calls a `*_Task` method and returns the Task it started. */
  async startTask(method: string, self: MoRef, args = ''): Promise<MoRef> {
    const res = await this.transport.call(method, self, args);
    return moRefOf(child(res, 'returnval'))!;
  }

  async taskState(task: MoRef): Promise<TaskState> {
    const info = (await this.objectProps(task, ['info'])).get('info');
    const state = (textAt(info, 'state') ?? 'running') as TaskState['state'];
    const fault = child(child(info, 'error'), 'fault');
    return {
      state,
      progress: textAt(info, 'progress') ? Number(textAt(info, 'progress')) : undefined,
      result: child(info, 'result'),
      error: textAt(info, 'error', 'localizedMessage') || undefined,
      faultType: fault?.attrs.type,
    };
  }

  /** The first object of `type` whose name is `name` (or the first of all when name is undefined). */
  async pick(type: string, name: string | undefined, what: string, extra: string[] = []): Promise<ObjectProps> {
    const all = await this.listObjects(type, ['name', ...extra]);
    const found = name === undefined ? all[0] : all.find((o) => o.props.get('name')?.text === name);
    if (!found) {
      const names = all.map((o) => o.props.get('name')?.text).join(', ');
      throw new PluginError('NOT_FOUND', name === undefined ? `no ${what} on ${this.transport.endpoint}` : `no ${what} named '${name}' (there are: ${names || 'none'})`, {
        retryable: false,
      });
    }
    return found;
  }

  async call(method: string, self: MoRef, args = ''): Promise<XmlElement> {
    return this.transport.call(method, self, args);
  }
}

function toVmInfo(o: ObjectProps): VmInfo {
  const text = (p: string) => o.props.get(p)?.text.trim();
  const num = (p: string) => (text(p) !== undefined ? Number(text(p)) : undefined);
  return {
    name: text('name') ?? '',
    moref: o.ref.value,
    uuid: text('config.uuid'),
    instanceUuid: text('config.instanceUuid'),
    powerState: text('runtime.powerState') ?? 'unknown',
    template: text('config.template') === 'true',
    guestId: text('config.guestId'),
    numCpu: num('config.hardware.numCPU'),
    memoryMB: num('config.hardware.memoryMB'),
    annotation: text('config.annotation') || undefined,
  };
}
