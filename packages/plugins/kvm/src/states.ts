// The read a VM event trigger needs (issue 11's VmEventTrigger, built with the trigger machinery):
// every domain of a connection with its state, in one short-lived connection. A trigger compares
// two of these snapshots to find transitions; nothing here keeps state between calls.
import { withLibvirt, type DomainSummary } from './libvirt/client';
import type { RemoteCredentials } from './libvirt/transport';

export interface DomainStateSnapshot {
  uri: string;
  /** Epoch ms of the read. */
  at: number;
  domains: DomainSummary[];
}

export async function pollDomainStates(uri: string, options: { signal?: AbortSignal; names?: RegExp; credentials?: RemoteCredentials } = {}): Promise<DomainStateSnapshot> {
  const domains = await withLibvirt(uri, { signal: options.signal, callTimeoutMs: 30_000, credentials: options.credentials }, (client) => client.listAll());
  return { uri, at: Date.now(), domains: options.names ? domains.filter((d) => options.names!.test(d.name)) : domains };
}
