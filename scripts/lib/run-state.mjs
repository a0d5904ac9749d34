// <data dir>/run/stack.json: which process runs the stack and the process groups it started, so
// that the next `npm start` can tell "already running" from "left behind by an npm start that was
// killed with SIGKILL" (whose children, each leading its own process group, survive it and hold
// the ports), and stop the leftovers. Process ids are paired with their start time, read from
// /proc, so a reused pid is never mistaken for ours.
import fs from 'node:fs';
import path from 'node:path';
import { groupMembers, stopGroup } from './process-group.mjs';

/**
 * The start time of a process (clock ticks since boot), or undefined when it is gone. Without
 * /proc (macOS) only whether it lives: a reused pid can then pass for ours.
 */
export function startTime(pid) {
  if (!pid) return undefined;
  if (!fs.existsSync('/proc/self/stat')) {
    try {
      process.kill(pid, 0);
      return 'alive';
    } catch (error) {
      return error.code === 'EPERM' ? 'alive' : undefined;
    }
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z') return undefined;
    return fields[19]; // field 22 of proc(5), counted from the state (field 3)
  } catch {
    return undefined;
  }
}

export class RunState {
  constructor(dataDir) {
    this.file = path.join(dataDir, 'run', 'stack.json');
    this.groups = new Map();
  }

  /**
   * Looks at what a previous run left. Returns { running: pid } when another npm start on this
   * data directory is alive, otherwise stops the process groups a killed one left and returns
   * { stopped: [names] }.
   */
  async takeOver() {
    let previous;
    try {
      previous = JSON.parse(fs.readFileSync(this.file, 'utf8'));
    } catch {
      return { stopped: [] };
    }
    const owner = previous.supervisor;
    const ownerTime = owner && startTime(owner.pid);
    if (owner && owner.pid !== process.pid && ownerTime !== undefined && ownerTime === owner.startTime) return { running: owner.pid };
    const stopped = [];
    // Last started first, as a normal stop does: the web app and the worker before their servers.
    for (const group of [...(previous.groups ?? [])].reverse()) {
      const leaderTime = startTime(group.pid);
      const leaderIsOurs = leaderTime !== undefined && leaderTime === group.startTime;
      // A pid that still names a process group cannot have been reused by another group.
      const members = groupMembers(group.pid);
      if (!members.length || (leaderTime !== undefined && !leaderIsOurs)) continue;
      await stopGroup(group.pid, { signal: group.stopSignal ?? 'SIGTERM', graceMs: 10_000 });
      stopped.push(`${group.name} (pid ${group.pid})`);
    }
    this.#write();
    return { stopped };
  }

  /** Records a child's process group (called on every start and restart). */
  track(name, child, stopSignal) {
    this.groups.set(name, { name, pid: child.pid, startTime: startTime(child.pid), stopSignal });
    this.#write();
  }

  clear() {
    this.groups.clear();
    fs.rmSync(this.file, { force: true });
  }

  #write() {
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      const state = { supervisor: { pid: process.pid, startTime: startTime(process.pid) }, groups: [...this.groups.values()] };
      fs.writeFileSync(`${this.file}.tmp`, JSON.stringify(state, null, 2));
      fs.renameSync(`${this.file}.tmp`, this.file);
    } catch {
      // best effort (a full disk): the stack runs without it
    }
  }
}
