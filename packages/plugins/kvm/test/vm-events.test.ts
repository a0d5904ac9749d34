// VmEventTrigger's decision, pure: transitions only, the states filter, debounce, flap detection,
// and keys that are the same when a poll is repeated from the same checkpoint (what makes the
// engine start one execution per transition across restarts).
import { describe, expect, it } from 'vitest';
import { domainStateName } from '../src/definitions/trigger';
import type { DomainSummary } from '../src/libvirt/client';
import { detectVmEvents, vmEventOptions, type VmEventCheckpoint } from '../src/vm-events';

const dom = (name: string, state: string, reason = 0): DomainSummary => ({ name, uuid: `uuid-${name}`, id: 1, state, stateCode: 0, reason });
const R = 'VIR_DOMAIN_RUNNING';
const OFF = 'VIR_DOMAIN_SHUTOFF';
const P = 'VIR_DOMAIN_PAUSED';

/** Polls a sequence of states of one domain, `stepMs` apart; returns every event and the notes. */
function run(states: string[], options = vmEventOptions({ uri: 'x' }), stepMs = 1000) {
  let checkpoint: VmEventCheckpoint | undefined;
  const events: ReturnType<typeof detectVmEvents>['events'] = [];
  const notes: string[] = [];
  states.forEach((state, i) => {
    const result = detectVmEvents(checkpoint, [dom('web-1', state)], options, i * stepMs);
    events.push(...result.events);
    notes.push(...result.notes);
    checkpoint = result.checkpoint;
  });
  return { events, notes, checkpoint };
}

describe('VmEventTrigger transitions', () => {
  it('records the first poll, then fires once per transition and never on a poll without change', () => {
    const { events, notes } = run([R, R, OFF, OFF, OFF, R, R], vmEventOptions({ uri: 'x', flapThreshold: 0 }));
    expect(notes[0]).toBe('first poll: 1 domain(s) recorded');
    expect(events.map((e) => [e.variables.previousState, e.variables.state])).toEqual([
      [R, OFF],
      [OFF, R],
    ]);
    expect(events.map((e) => e.key)).toEqual(['uuid-web-1#1', 'uuid-web-1#2']);
    expect(events[0]!.variables).toMatchObject({ event: 'transition', name: 'web-1', uuid: 'uuid-web-1', crashed: false, date: new Date(2000).toISOString() });
  });

  it('a poll repeated from the same checkpoint finds the same event with the same key', () => {
    const options = vmEventOptions({ uri: 'x' });
    const first = detectVmEvents(undefined, [dom('web-1', R)], options, 0);
    const a = detectVmEvents(first.checkpoint, [dom('web-1', OFF)], options, 1000);
    const b = detectVmEvents(first.checkpoint, [dom('web-1', OFF)], options, 5000);
    expect(a.events.map((e) => e.key)).toEqual(b.events.map((e) => e.key));
    expect(a.events).toHaveLength(1);
  });

  it('keeps only transitions into the states watched, and still follows the others', () => {
    const options = vmEventOptions({ uri: 'x', states: ['shut off', 'crashed'], flapThreshold: 0 });
    const { events, notes } = run([R, P, R, OFF, R], options);
    expect(events.map((e) => e.variables.state)).toEqual([OFF]);
    expect(events[0]!.variables.previousState).toBe(R);
    expect(notes).toContain(`web-1: ${R} → ${P} is not a transition into the states watched`);
  });

  it('a shut-off domain whose QEMU went away is reported as crashed', () => {
    const options = vmEventOptions({ uri: 'x' });
    const first = detectVmEvents(undefined, [dom('web-1', R)], options, 0);
    const second = detectVmEvents(first.checkpoint, [dom('web-1', OFF, 3)], options, 1000);
    expect(second.events[0]!.variables).toMatchObject({ state: OFF, crashed: true, reason: 3 });
  });

  it('debounce: a state that flips back within it fires nothing; one that holds fires once, dated when it was first seen', () => {
    const options = vmEventOptions({ uri: 'x', debounce: 'PT3S', flapThreshold: 0 });
    const flip = run([R, P, P, R, R, R], options);
    expect(flip.events).toEqual([]);
    expect(flip.notes).toContain(`web-1: ${P} flipped back to ${R} within the debounce; nothing fired`);
    const held = run([R, OFF, OFF, OFF, OFF, OFF], options);
    expect(held.events).toHaveLength(1);
    expect(held.events[0]!.variables).toMatchObject({ previousState: R, state: OFF, date: new Date(1000).toISOString(), detectedAt: new Date(4000).toISOString() });
  });

  it('flapping: N changes within the window give one flapping event, then silence until quiet for a window', () => {
    const options = vmEventOptions({ uri: 'x', flapThreshold: 3, flapWindow: 'PT10S' });
    const { events, notes, checkpoint } = run([R, OFF, R, OFF, R, OFF, R, OFF], options);
    expect(events.map((e) => e.variables.event)).toEqual(['transition', 'transition', 'flapping']);
    expect(events[2]!.variables).toMatchObject({ transitions: 3, state: OFF });
    expect(notes.filter((n) => n.includes('flapping, transitions not fired'))).toHaveLength(4);
    // Quiet for longer than the window: watched normally again from the state it settled in.
    const quiet = detectVmEvents(checkpoint, [dom('web-1', OFF)], options, 20_000);
    expect(quiet.notes).toContain(`web-1: stopped flapping, settled in ${OFF}`);
    const after = detectVmEvents(quiet.checkpoint, [dom('web-1', R)], options, 21_000);
    expect(after.events.map((e) => [e.variables.event, e.variables.state, e.key])).toEqual([['transition', R, 'uuid-web-1#4']]);
  });

  it('the instant a domain is paused while starting up is not a transition', () => {
    const options = vmEventOptions({ uri: 'x' });
    const first = detectVmEvents(undefined, [dom('web-1', OFF)], options, 0);
    const starting = detectVmEvents(first.checkpoint, [dom('web-1', P, 11)], options, 1000);
    expect(starting.events).toEqual([]);
    const running = detectVmEvents(starting.checkpoint, [dom('web-1', R)], options, 2000);
    expect(running.events.map((e) => [e.variables.previousState, e.variables.state])).toEqual([[OFF, R]]);
    expect(running.checkpoint.domains['uuid-web-1']!.changes).toHaveLength(1);
  });

  it('a domain that appears later is recorded, not fired; one that disappears is said', () => {
    const options = vmEventOptions({ uri: 'x' });
    const first = detectVmEvents(undefined, [dom('web-1', R)], options, 0);
    const second = detectVmEvents(first.checkpoint, [dom('web-2', R)], options, 1000);
    expect(second.events).toEqual([]);
    expect(second.notes).toEqual([`web-2: new domain recorded as ${R}`, 'web-1: no longer defined']);
  });

  it('reads the state names people write', () => {
    expect(domainStateName('shut off')).toBe(OFF);
    expect(domainStateName('VIR_DOMAIN_CRASHED')).toBe('VIR_DOMAIN_CRASHED');
    expect(domainStateName('paused')).toBe(P);
    expect(domainStateName('exploded')).toBeUndefined();
  });
});
