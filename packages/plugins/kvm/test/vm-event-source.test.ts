// VmEventTrigger's two ways of seeing a change, against the real libvirtd (qemu:///system, a 64 MiB
// diskless domain): libvirt's lifecycle events see a destroy followed at once by a start as two
// transitions, with libvirt's event and detail; pure polling (events: false) does not see it at
// all, since the domain is running again at the next poll. Plus the fold of observations, pure.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PollEvent } from '@baton/plugin-sdk';
import { foldObservations, vmEventOptions, vmEventTriggerRuntime, type VmEventCheckpoint } from '../src/vm-events';
import { cleanup, ensureLibvirtd, tinyDomainXml, uniquePrefix, virsh } from './libvirtd';

const prefix = uniquePrefix();
const name = `${prefix}ev`;
const signal = new AbortController().signal;

beforeAll(async () => {
  await ensureLibvirtd();
  const file = path.join(os.tmpdir(), `${name}.xml`);
  fs.writeFileSync(file, tinyDomainXml(name));
  virsh('define', file);
  virsh('start', name);
}, 120_000);
afterAll(() => cleanup(prefix), 60_000);

describe('VmEventTrigger on the real daemon', () => {
  it('events: a destroy then a start within one interval are two transitions with their libvirt event and detail', async () => {
    const props = { uri: 'qemu:///system', name, interval: 'PT10S', flapThreshold: 0 };
    const first = await vmEventTriggerRuntime.poll(props, undefined, { now: new Date(), signal });
    expect(first.events).toEqual([]);
    expect(first.listened).toBe(true);
    let checkpoint: VmEventCheckpoint = first.checkpoint;
    // Polls chained as the engine chains them (the next at once after one that listened), while the
    // domain is destroyed and started again.
    const fired: PollEvent[] = [];
    const flip = (async () => {
      await new Promise((r) => setTimeout(r, 500));
      virsh('destroy', name);
      virsh('start', name);
    })();
    // Bounded: each poll lasts at most its interval (10 s), and ends 250 ms after an event.
    for (let i = 0; i < 8 && fired.length < 2; i++) {
      const result = await vmEventTriggerRuntime.poll(props, checkpoint, { now: new Date(), signal });
      expect(result.listened).toBe(true);
      checkpoint = result.checkpoint;
      fired.push(...result.events);
    }
    await flip;
    expect(fired.map((e) => [e.variables.previousState, e.variables.state])).toEqual([
      ['VIR_DOMAIN_RUNNING', 'VIR_DOMAIN_SHUTOFF'],
      ['VIR_DOMAIN_SHUTOFF', 'VIR_DOMAIN_RUNNING'],
    ]);
    expect(fired[0]!.variables).toMatchObject({ source: 'event', libvirtEvent: 'STOPPED', libvirtDetail: 'DESTROYED', reason: 2, crashed: false });
    // The start is seen by its event, or (when it fell between two polls) by the next poll's listing.
    expect(['event', 'poll']).toContain(fired[1]!.variables.source);
    // libvirt 9 sends RESUMED/UNPAUSED (QEMU's CPUs start) just before STARTED/BOOTED: the first one fires.
    if (fired[1]!.variables.source === 'event')
      expect([
        ['STARTED', 'BOOTED'],
        ['RESUMED', 'UNPAUSED'],
      ]).toContainEqual([fired[1]!.variables.libvirtEvent, fired[1]!.variables.libvirtDetail]);
    expect(fired.map((e) => e.key)).toEqual([`${fired[0]!.variables.uuid}#1`, `${fired[0]!.variables.uuid}#2`]);
  }, 180_000);

  it('polling only (events: false): the same destroy and start between two polls is invisible', async () => {
    const props = { uri: 'qemu:///system', name, interval: 'PT30S', flapThreshold: 0, events: false };
    const first = await vmEventTriggerRuntime.poll(props, undefined, { now: new Date(), signal });
    expect(first.listened).toBeUndefined();
    virsh('destroy', name);
    virsh('start', name);
    const second = await vmEventTriggerRuntime.poll(props, first.checkpoint, { now: new Date(), signal });
    expect(second.events).toEqual([]);
    expect(second.checkpoint.domains[Object.keys(first.checkpoint.domains)[0]!]!.state).toBe('VIR_DOMAIN_RUNNING');
  }, 120_000);

  it('a daemon that does not know the event procedure is polled: the real daemon behind a proxy that renames the call', async () => {
    // libvirt before 1.2.1 has no REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY. To get a
    // real daemon's answer to an unknown procedure, a TCP proxy renumbers that call (316 → 9999)
    // on its way to the daemon; the daemon answers with its own error, and the poll lists instead.
    const server = net.createServer((client) => {
      const daemon = net.createConnection({ path: '/var/run/libvirt/libvirt-sock' });
      let buffered = Buffer.alloc(0);
      client.on('data', (chunk) => {
        buffered = Buffer.concat([buffered, chunk]);
        while (buffered.length >= 4 && buffered.length >= buffered.readUInt32BE(0)) {
          const length = buffered.readUInt32BE(0);
          const message = Buffer.from(buffered.subarray(0, length));
          if (message.readInt32BE(12) === 316) message.writeInt32BE(9999, 12);
          daemon.write(message);
          buffered = buffered.subarray(length);
        }
      });
      daemon.pipe(client);
      client.on('error', () => daemon.destroy());
      daemon.on('error', () => client.destroy());
      client.on('close', () => daemon.destroy());
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as net.AddressInfo).port;
      const props = { uri: `qemu+tcp://127.0.0.1:${port}/system`, name, interval: 'PT1S' };
      const result = await vmEventTriggerRuntime.poll(props, undefined, { now: new Date(), signal });
      expect(result.listened).toBeUndefined();
      expect(Object.values(result.checkpoint.domains).map((d) => d.state)).toEqual(['VIR_DOMAIN_RUNNING']);
      expect(result.note).toMatch(/polled: lifecycle events unavailable \(registering for domain lifecycle events: .*9999/);
    } finally {
      server.close();
    }
  }, 60_000);
});

describe('foldObservations (pure)', () => {
  const dom = (state: string, reason = 1) => ({ name: 'web', uuid: 'u1', id: 1, state, stateCode: 0, reason });
  const options = vmEventOptions({ uri: 'x', flapThreshold: 0 });
  const start = foldObservations(undefined, { domains: [dom('VIR_DOMAIN_RUNNING')], at: 0 }, [], undefined, options).checkpoint;

  it('a crash and a restart between two listings are two transitions; the listing agreeing with the last event adds nothing', () => {
    const result = foldObservations(
      start,
      { domains: [dom('VIR_DOMAIN_RUNNING')], at: 1000 },
      [
        { name: 'web', uuid: 'u1', event: 5, detail: 2, at: 1100 },
        { name: 'web', uuid: 'u1', event: 2, detail: 0, at: 1300 },
      ],
      { domains: [dom('VIR_DOMAIN_RUNNING')], at: 1500 },
      options,
    );
    expect(result.events.map((e) => [e.variables.state, e.variables.libvirtEvent, e.variables.libvirtDetail, e.variables.crashed])).toEqual([
      ['VIR_DOMAIN_SHUTOFF', 'STOPPED', 'CRASHED', true],
      ['VIR_DOMAIN_RUNNING', 'STARTED', 'BOOTED', false],
    ]);
    expect(result.events.map((e) => e.variables.date)).toEqual([new Date(1100).toISOString(), new Date(1300).toISOString()]);
  });

  it('what changed while nobody listened is found by the first listing; a missed event by the last', () => {
    const missed = foldObservations(start, { domains: [dom('VIR_DOMAIN_SHUTOFF', 2)], at: 1000 }, [], { domains: [dom('VIR_DOMAIN_RUNNING')], at: 2000 }, options);
    expect(missed.events.map((e) => [e.variables.state, e.variables.source])).toEqual([
      ['VIR_DOMAIN_SHUTOFF', 'poll'],
      ['VIR_DOMAIN_RUNNING', 'poll'],
    ]);
  });

  it('events of other domains, and events that change no state (DEFINED, SHUTDOWN), fire nothing', () => {
    const result = foldObservations(
      start,
      { domains: [dom('VIR_DOMAIN_RUNNING')], at: 1000 },
      [
        { name: 'other', uuid: 'u2', event: 5, detail: 1, at: 1100 },
        { name: 'web', uuid: 'u1', event: 0, detail: 1, at: 1200 },
        { name: 'web', uuid: 'u1', event: 6, detail: 0, at: 1300 },
      ],
      undefined,
      options,
    );
    expect(result.events).toEqual([]);
  });
});
