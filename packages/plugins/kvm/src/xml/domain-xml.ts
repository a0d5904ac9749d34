// What Baton checks in a domain definition before sending it, and what it reads from one. The
// structural check is no schema: libvirt's RelaxNG schema (domain.rng) is applied on top by the
// runtime where xmllint and the schema are installed (relaxng.ts), and libvirtd validates again
// when it defines the domain. This check runs everywhere, needs nothing, and catches what breaks
// most often, each with a line number.
import { child, children, parseXml, textOf, XmlSyntaxError, type XmlElement } from './parse';

export interface XmlProblem {
  line: number;
  column: number;
  message: string;
}

export interface CheckedDomain {
  root?: XmlElement;
  name?: string;
  uuid?: string;
  problems: XmlProblem[];
}

const DOMAIN_TYPES = ['qemu', 'kvm', 'kqemu', 'xen', 'lxc', 'uml', 'openvz', 'test', 'vmware', 'hyperv', 'vbox', 'phyp', 'vz', 'bhyve'];
const MEMORY_UNITS = /^(b|bytes|k|KB|KiB|M|MB|MiB|G|GB|GiB|T|TB|TiB|P|PB|PiB|E|EB|EiB)$/;
const UUID = /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/;

/** Parses the XML (syntax errors with line and column) and checks the essentials of a domain. */
export function checkDomainXml(xml: string): CheckedDomain {
  let root: XmlElement;
  try {
    root = parseXml(xml);
  } catch (error) {
    if (error instanceof XmlSyntaxError) return { problems: [{ line: error.line, column: error.column, message: `XML syntax: ${error.reason}` }] };
    throw error;
  }
  const problems: XmlProblem[] = [];
  const at = (el: XmlElement, message: string) => problems.push({ line: el.line, column: el.column, message });

  if (root.name !== 'domain') {
    at(root, `the root element must be <domain>, not <${root.name}>`);
    return { root, problems };
  }
  if (!root.attrs.type) at(root, "<domain> needs a type attribute, e.g. type='kvm' (or 'qemu' without hardware virtualisation)");
  else if (!DOMAIN_TYPES.includes(root.attrs.type)) at(root, `<domain type='${root.attrs.type}'> is not a libvirt domain type (${DOMAIN_TYPES.slice(0, 3).join(', ')}, ...)`);

  const nameEl = child(root, 'name');
  const name = textOf(nameEl);
  if (!nameEl) at(root, '<domain> needs a <name>');
  else if (!name) at(nameEl, '<name> is empty');
  else if (name.includes('/')) at(nameEl, `<name>${name}</name>: a domain name cannot contain '/'`);

  const uuidEl = child(root, 'uuid');
  const uuid = textOf(uuidEl) || undefined;
  if (uuidEl && (!uuid || !UUID.test(uuid))) at(uuidEl, `<uuid>${uuid ?? ''}</uuid> is not a UUID (8-4-4-4-12 hexadecimal digits)`);

  const memory = child(root, 'memory');
  if (!memory) at(root, "<domain> needs <memory>, e.g. <memory unit='MiB'>512</memory>");
  for (const el of [memory, child(root, 'currentMemory')]) {
    if (!el) continue;
    if (!/^\d+$/.test(textOf(el)) || Number(textOf(el)) <= 0) at(el, `<${el.name}> must be a positive whole number, got '${textOf(el)}'`);
    if (el.attrs.unit !== undefined && !MEMORY_UNITS.test(el.attrs.unit)) at(el, `<${el.name} unit='${el.attrs.unit}'> is not a unit (KiB, MiB, GiB, ...)`);
  }

  const vcpu = child(root, 'vcpu');
  if (vcpu && (!/^\d+$/.test(textOf(vcpu)) || Number(textOf(vcpu)) < 1)) at(vcpu, `<vcpu> must be a whole number of at least 1, got '${textOf(vcpu)}'`);

  const os = child(root, 'os');
  if (!os) at(root, "<domain> needs <os> with <type>, e.g. <os><type arch='x86_64' machine='pc'>hvm</type></os>");
  else {
    const type = child(os, 'type');
    if (!type) at(os, '<os> needs <type>hvm</type> (or linux / exe for other drivers)');
    else if (!['hvm', 'linux', 'xen', 'exe', 'uml'].includes(textOf(type))) at(type, `<os><type>${textOf(type)}</type> is not an OS type (hvm, linux, xen, exe)`);
  }

  for (const disk of children(child(root, 'devices'), 'disk')) {
    const target = child(disk, 'target');
    if (!target?.attrs.dev) at(disk, "<disk> needs <target dev='vda' bus='virtio'/> (the device name the guest sees)");
    const source = child(disk, 'source');
    if (disk.attrs.type === 'file' && source && !source.attrs.file) at(source, "<source> of a file disk needs file='/path/to/image'");
  }
  for (const nic of children(child(root, 'devices'), 'interface')) {
    const mac = child(nic, 'mac');
    if (mac && !/^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$/.test(mac.attrs.address ?? '')) at(mac, `<mac address='${mac.attrs.address ?? ''}'> is not a MAC address`);
  }
  return { root, name: name || undefined, uuid, problems };
}

export function formatProblems(problems: XmlProblem[]): string {
  return problems.map((p) => `line ${p.line}, column ${p.column}: ${p.message}`).join('\n');
}

export interface DiskInfo {
  device: string;
  type: string;
  /** File path, block device or volume name, whichever the disk uses. */
  source?: string;
  /** The storage pool of a `type='volume'` disk. */
  pool?: string;
  target?: string;
  bus?: string;
  format?: string;
}

export interface InterfaceInfo {
  type: string;
  mac?: string;
  source?: string;
  model?: string;
  target?: string;
}

export function disksOf(root: XmlElement): DiskInfo[] {
  return children(child(root, 'devices'), 'disk').map((d) => {
    const source = child(d, 'source');
    return {
      device: d.attrs.device ?? 'disk',
      type: d.attrs.type ?? 'file',
      source: source?.attrs.file ?? source?.attrs.dev ?? source?.attrs.volume ?? source?.attrs.name,
      ...(source?.attrs.pool ? { pool: source.attrs.pool } : {}),
      target: child(d, 'target')?.attrs.dev,
      bus: child(d, 'target')?.attrs.bus,
      format: child(d, 'driver')?.attrs.type,
    };
  });
}

export function interfacesOf(root: XmlElement): InterfaceInfo[] {
  return children(child(root, 'devices'), 'interface').map((i) => {
    const source = child(i, 'source');
    return {
      type: i.attrs.type ?? 'network',
      mac: child(i, 'mac')?.attrs.address,
      source: source?.attrs.network ?? source?.attrs.bridge ?? source?.attrs.dev,
      model: child(i, 'model')?.attrs.type,
      target: child(i, 'target')?.attrs.dev,
    };
  });
}
