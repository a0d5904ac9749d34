// Process groups: every child of the stack is spawned `detached`, so it leads its own group and
// whatever it starts (tsx's real node process, next-server, PostgreSQL's backends) can be found and
// stopped with it. Plain JavaScript with no dependencies: it runs before `npm install` has.
import fs from 'node:fs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Signals a child's whole process group (tsx and next run the real program as a grandchild). */
export function signalGroup(child, signal) {
  const pid = typeof child === 'number' ? child : child?.pid;
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {}
  }
}

/**
 * Live (non-zombie) members of process group `pgid`. On Linux this reads /proc, so zombies that
 * nobody reaps (PID 1 in some containers does not) do not count as alive; elsewhere kill(-pgid, 0).
 */
export function groupMembers(pgid) {
  if (!pgid) return [];
  if (process.platform === 'linux' && fs.existsSync('/proc/self/stat')) {
    const members = [];
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      let stat;
      try {
        stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      } catch {
        continue; // exited while we looked
      }
      // "pid (comm) state ppid pgrp ...": comm may contain spaces and parentheses.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] !== 'Z' && Number(fields[2]) === pgid) members.push(Number(entry));
    }
    return members;
  }
  try {
    process.kill(-pgid, 0);
    return [pgid];
  } catch {
    return [];
  }
}

export function groupAlive(child) {
  const pid = typeof child === 'number' ? child : child?.pid;
  return groupMembers(pid).length > 0;
}

/**
 * Stops a child's whole group: `signal`, then SIGKILL after `graceMs`. Resolves when no member of
 * the group is left (or after a last SIGKILL round, if something cannot be killed).
 */
export async function stopGroup(child, { signal = 'SIGTERM', graceMs = 10_000 } = {}) {
  const pid = typeof child === 'number' ? child : child?.pid;
  if (!pid || !groupAlive(pid)) return;
  signalGroup(pid, signal);
  const deadline = Date.now() + graceMs;
  while (groupAlive(pid) && Date.now() < deadline) await sleep(50);
  for (let i = 0; i < 40 && groupAlive(pid); i++) {
    signalGroup(pid, 'SIGKILL');
    await sleep(50);
  }
}
