// The pieces that need no daemon: the XDR codec, URI resolution, the XML parser with positions and
// the structural domain check.
import { describe, expect, it } from 'vitest';
import { resolveUri } from '../src/libvirt/uri';
import { XdrReader, XdrWriter } from '../src/libvirt/xdr';
import { checkDomainXml, disksOf, interfacesOf } from '../src/xml/domain-xml';
import { parseXml, serializeXml, XmlSyntaxError } from '../src/xml/parse';

describe('XDR', () => {
  it('pads strings and opaque data to four bytes and reads back what it wrote', () => {
    const bytes = new XdrWriter()
      .string('abc')
      .int(-2)
      .uhyper(2n ** 40n)
      .optionalString(undefined)
      .optionalString('é')
      .fixedOpaque(Buffer.from([1, 2, 3, 4, 5]))
      .toBuffer();
    // "abc": length 3, 3 bytes, 1 byte of padding.
    expect(bytes.subarray(0, 8).toString('hex')).toBe('0000000361626300');
    const r = new XdrReader(bytes);
    expect([r.string(), r.int(), r.uhyper(), r.optionalString(), r.optionalString(), [...r.fixedOpaque(5)]]).toEqual(['abc', -2, 2n ** 40n, undefined, 'é', [1, 2, 3, 4, 5]]);
    expect(r.remaining).toBe(0);
  });

  it('refuses truncated messages and oversized lengths instead of allocating them', () => {
    expect(() => new XdrReader(Buffer.from([0, 0, 0, 9, 65])).string()).toThrow(/truncated/);
    expect(() => new XdrReader(Buffer.from([0xff, 0xff, 0xff, 0xff])).string()).toThrow(/exceeds the limit/);
    expect(() => new XdrReader(Buffer.from([0, 0, 0, 2])).bool()).toThrow(/bool/);
  });
});

describe('connection URIs', () => {
  it('maps each URI to a socket and the name the daemon opens', () => {
    expect(resolveUri('qemu:///system')).toMatchObject({ endpoint: { kind: 'unix', path: '/var/run/libvirt/libvirt-sock' }, openName: 'qemu:///system' });
    expect(resolveUri('test:///default')).toMatchObject({ endpoint: { kind: 'unix' }, openName: 'test:///default' });
    expect(resolveUri('qemu+unix:///system?socket=/run/x.sock')).toMatchObject({ endpoint: { kind: 'unix', path: '/run/x.sock' }, openName: 'qemu:///system' });
    expect(resolveUri('qemu+tcp://hv1.example.com/system')).toMatchObject({ endpoint: { kind: 'tcp', host: 'hv1.example.com', port: 16509 }, openName: 'qemu:///system' });
    expect(resolveUri('qemu+tcp://hv1:16510/system')).toMatchObject({ endpoint: { kind: 'tcp', host: 'hv1', port: 16510 } });
    expect(resolveUri('qemu+tls://hv1/system')).toMatchObject({ endpoint: { kind: 'tls', host: 'hv1', port: 16514, noVerify: false }, openName: 'qemu:///system' });
    expect(resolveUri('qemu+ssh://root@hv1:2222/system?no_verify=1')).toMatchObject({
      endpoint: { kind: 'ssh', host: 'hv1', port: 2222, user: 'root', noVerify: true, proxy: 'auto' },
      openName: 'qemu:///system',
    });
    expect(resolveUri('qemu+ssh://[::1]/system?socket=/run/s')).toMatchObject({ endpoint: { kind: 'ssh', host: '::1', socket: '/run/s' } });
    expect(() => resolveUri('qemu+ssh:///system')).toThrow(/needs a host/);
    expect(() => resolveUri('qemu+ssh://h/system?proxy=x')).toThrow(/proxy=x/);
  });
});

describe('XML parser', () => {
  it('keeps the line and column of every element and decodes entities', () => {
    const root = parseXml("<?xml version='1.0'?>\n<!-- c -->\n<domain type='kvm'>\n  <name>a &amp; b</name>\n  <x><![CDATA[<raw>]]></x>\n</domain>");
    expect(root).toMatchObject({ name: 'domain', line: 3, column: 1, attrs: { type: 'kvm' } });
    expect(root.children[0]).toMatchObject({ name: 'name', text: 'a & b', line: 4, column: 3 });
    expect(root.children[1].text).toBe('<raw>');
  });

  it.each([
    ['<a>\n  <b>\n</a>', 3, 1, '</a> does not close <b>'],
    ['<a x="1" x="2"/>', 1, 10, 'attribute x appears twice'],
    ['<a x=1/>', 1, 6, 'must be quoted'],
    ['<a>&bogus;</a>', 1, 4, 'unknown entity &bogus;'],
    ['<a/><b/>', 1, 5, 'only one root element'],
    ['<!DOCTYPE a><a/>', 1, 1, 'DOCTYPE is not allowed'],
    ['', 1, 1, 'the document is empty'],
    ['<a>\n  <b>', 2, 3, '<b> opened here is never closed'],
  ])('%j fails at line %i, column %i', (xml, line, column, reason) => {
    try {
      parseXml(xml);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(XmlSyntaxError);
      expect(error).toMatchObject({ line, column });
      expect((error as Error).message).toContain(reason);
    }
  });

  it('serialises a tree back to XML that parses to the same tree', () => {
    const source = "<domain type='kvm'><name>a&lt;b</name><devices><disk type='file'><source file='/x y&amp;.qcow2'/></disk></devices></domain>";
    const again = parseXml(serializeXml(parseXml(source)));
    expect(again.children[0].text).toBe('a<b');
    expect(again.children[1].children[0].children[0].attrs.file).toBe('/x y&.qcow2');
  });
});

describe('structural domain check', () => {
  it('accepts a minimal domain and reads its name and UUID', () => {
    const checked = checkDomainXml(
      "<domain type='qemu'><name>vm1</name><uuid>6695eb01-f6a4-8304-79aa-97f2502e193f</uuid><memory unit='MiB'>64</memory><os><type>hvm</type></os></domain>",
    );
    expect(checked.problems).toEqual([]);
    expect(checked).toMatchObject({ name: 'vm1', uuid: '6695eb01-f6a4-8304-79aa-97f2502e193f' });
  });

  it('names each problem with its line', () => {
    const xml = [
      "<domain type='vmx'>",
      '  <name>a/b</name>',
      "  <memory unit='MB2'>-1</memory>",
      '  <vcpu>0</vcpu>',
      '  <os><type>dos</type></os>',
      '  <devices>',
      "    <disk type='file'><source/></disk>",
      "    <interface type='network'><mac address='zz'/></interface>",
      '  </devices>',
      '</domain>',
    ].join('\n');
    const lines = checkDomainXml(xml).problems.map((p) => `${p.line}: ${p.message}`);
    expect(lines).toEqual([
      expect.stringMatching(/^1: <domain type='vmx'> is not a libvirt domain type/),
      "2: <name>a/b</name>: a domain name cannot contain '/'",
      "3: <memory> must be a positive whole number, got '-1'",
      "3: <memory unit='MB2'> is not a unit (KiB, MiB, GiB, ...)",
      "4: <vcpu> must be a whole number of at least 1, got '0'",
      '5: <os><type>dos</type> is not an OS type (hvm, linux, xen, exe)',
      "7: <disk> needs <target dev='vda' bus='virtio'/> (the device name the guest sees)",
      "7: <source> of a file disk needs file='/path/to/image'",
      "8: <mac address='zz'> is not a MAC address",
    ]);
  });

  it('reads disks and interfaces', () => {
    const root = parseXml(
      "<domain><devices><disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/i/a.qcow2'/><target dev='vda' bus='virtio'/></disk><disk type='file' device='cdrom'><target dev='hdc'/></disk><interface type='bridge'><mac address='52:54:00:00:00:01'/><source bridge='br0'/><model type='virtio'/></interface></devices></domain>",
    );
    expect(disksOf(root)).toEqual([
      { device: 'disk', type: 'file', source: '/i/a.qcow2', target: 'vda', bus: 'virtio', format: 'qcow2' },
      { device: 'cdrom', type: 'file', source: undefined, target: 'hdc', bus: undefined, format: undefined },
    ]);
    expect(interfacesOf(root)).toEqual([{ type: 'bridge', mac: '52:54:00:00:00:01', source: 'br0', model: 'virtio', target: undefined }]);
  });
});
