import type { MaasMachine } from './types';

/** The outputs every machine task shares. */
export function machineState(machine: MaasMachine, startedAt: number) {
  return {
    systemId: machine.system_id,
    hostname: machine.hostname,
    status: machine.status_name,
    powerState: machine.power_state,
    elapsedMs: Math.max(0, Date.now() - startedAt),
    machine,
  };
}
