// Start failures as one paragraph a person can act on, never a stack trace. Known failures are
// thrown as StartError (what went wrong + the fix); system errors with a known code (disk full,
// permission denied, a missing package...) are explained here; anything else is printed in one
// paragraph with a pointer to the log file that holds the full error.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export class StartError extends Error {
  /** @param {string} message what went wrong @param {{ fix?: string, cause?: unknown }} [options] */
  constructor(message, { fix, cause } = {}) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'StartError';
    this.fix = fix;
  }
}

const sentence = (s) => {
  const t = s.trim().replace(/:$/, '');
  return /[.!?]$/.test(t) ? t : `${t}.`;
};

/** A multi-line message folded into one line of at most `max` characters. */
function folded(text, max = 300) {
  const line = String(text ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' ');
  return line.length > max ? `${line.slice(0, max)}...` : line;
}

function missingModule(error) {
  const m = /Cannot find (?:package|module) '([^']+)'/.exec(error.message ?? '');
  if (!m) return 'a package';
  // Show the package, not the absolute path of a file inside it.
  const name = m[1].includes('node_modules/')
    ? m[1]
        .split('node_modules/')
        .pop()
        .split('/')
        .slice(0, m[1].includes('/@') ? 2 : 1)
        .join('/')
    : m[1];
  return `'${name}'`;
}

/** Explains an error in one paragraph (no trailing newline). `logFile` is where the details are. */
export function explain(error, { logFile, root = process.cwd() } = {}) {
  const seeLog = logFile ? ` Details are in ${logFile}.` : '';
  if (error instanceof StartError || error?.name === 'StartError') {
    return `${sentence(error.message)}${error.fix ? ` ${sentence(error.fix)}` : ''}`;
  }
  const code = error?.code;
  const where = error?.path ? ` (${error.path})` : error?.address ? ` (${error.address}:${error.port})` : '';
  const message = String(error?.message ?? error);
  if (code === 'ENOSPC' || /No space left on device/i.test(message)) {
    return `The disk is full${where}. Free some space (\`df -h\` shows where) and run npm start again; the data already written is kept.${seeLog}`;
  }
  if (code === 'EDQUOT') return `The disk quota is exhausted${where}. Free some space and run npm start again.${seeLog}`;
  if (code === 'EADDRINUSE') {
    return `A port is already in use${where}. Stop whatever listens there (another Baton?) or choose other ports with PORT, BATON_PG_PORT, BATON_TEMPORAL_PORT and BATON_TEMPORAL_UI_PORT.${seeLog}`;
  }
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
    return `A dependency is missing: ${missingModule(error)} is not installed. Run \`npm ci\` in ${root} and start again.${seeLog}`;
  }
  if (code === 'ENOENT' && String(error?.syscall).startsWith('spawn')) {
    const inModules = String(error.path).includes('node_modules');
    return `A program Baton runs is missing: ${error.path}. ${inModules ? `Run \`npm ci\` in ${root} and start again.` : 'Install it or fix PATH, then start again.'}${seeLog}`;
  }
  if (code === 'EACCES' && String(error?.syscall).startsWith('spawn')) {
    return `A program Baton runs cannot be executed: ${error.path} (permission denied). Make it executable (\`chmod +x\`), or reinstall with \`npm ci\`.${seeLog}`;
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return `Permission denied${where}${error?.syscall ? ` (${error.syscall})` : ''}. Run npm start as a user who can write the checkout and its data directory (BATON_DATA_DIR), or fix the ownership of that path.${seeLog}`;
  }
  if (code === 'EROFS') return `The file system is read-only${where}. Point BATON_DATA_DIR at a writable directory.${seeLog}`;
  if (code === 'EMFILE' || code === 'ENFILE') return `Too many open files${where}. Raise the limit (\`ulimit -n 65536\`) and start again.${seeLog}`;
  if (code === 'ENOMEM' || /Cannot allocate memory/.test(message)) return `The machine ran out of memory while starting. Stop other programs and start again.${seeLog}`;
  return `${sentence(folded(message))}${logFile ? ` The full error is in ${logFile}.` : ''}`;
}

/**
 * Appends the full error (stack and cause chain) to `logFile`. Falls back to the temp dir when
 * the data directory cannot be written (disk full, read-only); returns the file actually used.
 */
export function recordError(error, logFile) {
  const text = `${new Date().toISOString()} ${formatFull(error)}\n\n`;
  for (const file of [logFile, path.join(os.tmpdir(), 'baton-start.log')]) {
    if (!file) continue;
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.appendFileSync(file, text);
      return file;
    } catch {
      // try the next place
    }
  }
  return undefined;
}

function formatFull(error, depth = 0) {
  if (depth > 5) return '';
  const own = error?.stack ?? String(error);
  const extra = error?.fix ? `\nfix: ${error.fix}` : '';
  const cause = error?.cause ? `\ncaused by: ${formatFull(error.cause, depth + 1)}` : '';
  return `${own}${extra}${cause}`;
}
