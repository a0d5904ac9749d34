// libvirt's domain lifecycle events (virDomainEventType and its details, from include/libvirt/
// libvirt-domain.h) as the VM event trigger uses them: the names it shows (`STOPPED`/`DESTROYED`)
// and the domain state (and state reason) each event leaves the domain in. The numbers are a
// stable ABI: libvirt only appends.

const EVENT_NAMES = ['DEFINED', 'UNDEFINED', 'STARTED', 'SUSPENDED', 'RESUMED', 'STOPPED', 'SHUTDOWN', 'PMSUSPENDED', 'CRASHED'];

const DETAIL_NAMES: Record<string, string[]> = {
  DEFINED: ['ADDED', 'UPDATED', 'RENAMED', 'FROM_SNAPSHOT'],
  UNDEFINED: ['REMOVED', 'RENAMED'],
  STARTED: ['BOOTED', 'MIGRATED', 'RESTORED', 'FROM_SNAPSHOT', 'WAKEUP', 'RECREATED'],
  SUSPENDED: ['PAUSED', 'MIGRATED', 'IOERROR', 'WATCHDOG', 'RESTORED', 'FROM_SNAPSHOT', 'API_ERROR', 'POSTCOPY', 'POSTCOPY_FAILED'],
  RESUMED: ['UNPAUSED', 'MIGRATED', 'FROM_SNAPSHOT', 'POSTCOPY', 'POSTCOPY_FAILED'],
  STOPPED: ['SHUTDOWN', 'DESTROYED', 'CRASHED', 'MIGRATED', 'SAVED', 'FAILED', 'FROM_SNAPSHOT'],
  SHUTDOWN: ['FINISHED', 'GUEST', 'HOST'],
  PMSUSPENDED: ['MEMORY', 'DISK'],
  CRASHED: ['PANICKED', 'CRASHLOADED'],
};

export function lifecycleEventName(event: number): string {
  return EVENT_NAMES[event] ?? `EVENT_${event}`;
}

export function lifecycleDetailName(event: number, detail: number): string {
  return DETAIL_NAMES[lifecycleEventName(event)]?.[detail] ?? `DETAIL_${detail}`;
}

/** virDomainRunningReason for a STARTED detail (BOOTED → 1...): what virDomainGetState says after it. */
const STARTED_REASONS = [1, 2, 3, 4, 8, 0];

/**
 * The state (and reason) a lifecycle event leaves the domain in; undefined for the events that do
 * not change it (DEFINED, UNDEFINED, SHUTDOWN: the guest finished shutting down and STOPPED follows).
 */
export function stateAfterEvent(event: number, detail: number): { state: string; reason: number } | undefined {
  switch (lifecycleEventName(event)) {
    case 'STARTED':
      return { state: 'VIR_DOMAIN_RUNNING', reason: STARTED_REASONS[detail] ?? 0 };
    case 'RESUMED':
      return { state: 'VIR_DOMAIN_RUNNING', reason: detail === 0 ? 5 : 0 };
    case 'SUSPENDED':
      return { state: 'VIR_DOMAIN_PAUSED', reason: detail === 0 ? 1 : 0 };
    case 'STOPPED':
      // virDomainShutoffReason is the STOPPED detail plus one (SHUTDOWN 0 → 1, DESTROYED 1 → 2, CRASHED 2 → 3...).
      return { state: 'VIR_DOMAIN_SHUTOFF', reason: detail + 1 };
    case 'PMSUSPENDED':
      return { state: 'VIR_DOMAIN_PMSUSPENDED', reason: 0 };
    case 'CRASHED':
      return { state: 'VIR_DOMAIN_CRASHED', reason: detail === 0 ? 1 : 0 };
    default:
      return undefined;
  }
}
