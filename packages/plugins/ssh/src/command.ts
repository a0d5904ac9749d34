// io.kestra.plugin.fs.ssh.Command's runtime: connect (host key verified), run the commands as one
// exec request, read stdout/stderr line by line as they come (Kestra's output lines, through the
// scripts plugin's parser), heartbeat while it runs, and on a kill or timeout terminate the remote
// process group, then close the channel and the connection.
import { PluginError, type TaskContext } from '@baton/plugin-sdk';
import { parseLine, type Stream } from '@baton/plugin-scripts';
import type { Client, ClientChannel } from 'ssh2';
import { StringDecoder } from 'node:string_decoder';
import { withSession, type ConnectionProps } from './session';

export { maskConnectionSecrets } from './session';

export interface CommandProps extends ConnectionProps {
  commands: string[];
  env?: Record<string, string | number | boolean>;
  warningOnStdErr?: boolean;
  posixShell?: boolean;
}

export interface CommandOutputs {
  exitCode: number;
  vars: Record<string, unknown>;
  stdOutLineCount: number;
  stdErrLineCount: number;
}

/** Lines longer than this are cut (a binary blob on stdout would otherwise fill the worker's memory). */
const MAX_LINE_CHARS = 64 * 1024;
/** Between SIGTERM and SIGKILL on a kill. */
const KILL_GRACE_MS = 5_000;
/** The line a POSIX login shell prints first (on stderr): its pid, which is the session's process group. */
const PGID_LINE = /^::baton-ssh-pgid=(\d+)::$/;
const PGID_PROLOGUE = `echo "::baton-ssh-pgid=$$::" >&2`;

/** Splits a byte stream into lines, UTF-8 safe across chunks. */
class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private buffer = '';
  constructor(private readonly onLine: (line: string) => void) {}
  push(chunk: Buffer): void {
    this.buffer += this.decoder.write(chunk);
    let at: number;
    while ((at = this.buffer.indexOf('\n')) >= 0) {
      this.emit(this.buffer.slice(0, at).replace(/\r$/, ''));
      this.buffer = this.buffer.slice(at + 1);
    }
    if (this.buffer.length > MAX_LINE_CHARS) {
      this.emit(this.buffer);
      this.buffer = '';
    }
  }
  end(): void {
    this.buffer += this.decoder.end();
    if (this.buffer) this.emit(this.buffer);
    this.buffer = '';
  }
  private emit(line: string): void {
    this.onLine(line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}… (line cut at ${MAX_LINE_CHARS} characters)` : line);
  }
}

/** Runs one command on an exec channel of `client`, for the kill helper. */
function execQuiet(client: Client, command: string): Promise<void> {
  return new Promise((resolve) => {
    try {
      client.exec(command, (error, channel) => {
        if (error) return resolve();
        channel.on('close', () => resolve());
        channel.on('data', () => {});
        channel.stderr.on('data', () => {});
      });
    } catch {
      resolve();
    }
  });
}

export async function runCommand(ctx: TaskContext<CommandProps>): Promise<CommandOutputs> {
  return withSession(ctx, (client, where) => execute(ctx, client, where));
}

async function execute(ctx: TaskContext<CommandProps>, client: Client, where: string): Promise<CommandOutputs> {
  const p = ctx.props;
  const posix = p.posixShell !== false;
  const body = p.commands.join('\n');
  const command = posix ? `${PGID_PROLOGUE}\n${body}` : body;
  const env = Object.fromEntries(Object.entries(p.env ?? {}).map(([k, v]) => [k, String(v)]));
  const outputs: CommandOutputs = { exitCode: 0, vars: {}, stdOutLineCount: 0, stdErrLineCount: 0 };
  const stderrTail: string[] = [];
  let pgid: number | undefined;
  const log = { TRACE: ctx.logger.debug, DEBUG: ctx.logger.debug, INFO: ctx.logger.info, WARN: ctx.logger.warn, ERROR: ctx.logger.error } as const;

  const onLine = (line: string, stream: Stream) => {
    ctx.heartbeat();
    if (stream === 'stderr' && posix && pgid === undefined) {
      const marker = PGID_LINE.exec(line);
      if (marker) {
        pgid = Number(marker[1]);
        return;
      }
    }
    if (stream === 'stdout') outputs.stdOutLineCount++;
    else {
      outputs.stdErrLineCount++;
      stderrTail.push(line);
      if (stderrTail.length > 5) stderrTail.shift();
    }
    const parsed = parseLine(line, stream);
    if (parsed.kind === 'values') Object.assign(outputs.vars, parsed.outputs ?? {});
    else if (parsed.kind === 'invalid') {
      ctx.logger.warn(`an ::{…}:: line is not valid JSON (${parsed.error}); it is logged as text`);
      log[stream === 'stderr' ? 'ERROR' : 'INFO'](parsed.message);
    } else log[parsed.level](parsed.message);
  };

  const channel = await new Promise<ClientChannel>((resolve, reject) => {
    client.exec(command, { env }, (error, ch) =>
      error ? reject(new PluginError('REMOTE_ERROR', `${where} refused to run the command: ${error.message}`, { cause: error })) : resolve(ch),
    );
  });

  const ended = new Promise<{ code?: number; signal?: string }>((resolve) => {
    let exit: { code?: number; signal?: string } = {};
    channel.on('exit', (code: number | null, signal?: string) => {
      exit = { ...(code !== null && code !== undefined ? { code } : {}), ...(signal ? { signal } : {}) };
    });
    const out = new LineSplitter((line) => onLine(line, 'stdout'));
    const err = new LineSplitter((line) => onLine(line, 'stderr'));
    channel.on('data', (chunk: Buffer) => out.push(chunk));
    channel.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    channel.on('close', () => {
      out.end();
      err.end();
      resolve(exit);
    });
  });

  // A kill (or the task's timeout): SIGTERM to the remote process group, SIGKILL after the grace
  // period, then the channel and the connection close (runCommand's finally).
  let killed = false;
  const onAbort = () => {
    killed = true;
    void (async () => {
      ctx.logger.warn(`killed: sending SIGTERM to the remote command on ${where}${pgid ? ` (process group ${pgid})` : ''}`);
      try {
        channel.signal('TERM');
      } catch {
        // The channel is closing already.
      }
      if (pgid) await execQuiet(client, `kill -TERM -- -${pgid} 2>/dev/null`);
      const exited = await Promise.race([ended.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), KILL_GRACE_MS).unref())]);
      if (!exited) {
        try {
          channel.signal('KILL');
        } catch {
          // closed meanwhile
        }
        if (pgid) await execQuiet(client, `kill -KILL -- -${pgid} 2>/dev/null`);
      }
      channel.close();
    })();
  };
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  if (ctx.signal.aborted) onAbort();

  let exit: { code?: number; signal?: string };
  try {
    exit = await ended;
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
  }
  if (killed) {
    const deadline = ctx.taskRun.deadline;
    if (deadline !== undefined && Date.now() >= deadline)
      throw new PluginError('TIMEOUT', `the command on ${where} ran past the task's timeout and was terminated`, { retryable: false });
    throw new PluginError('CANCELLED', `killed: the command on ${where} was terminated (SIGTERM${pgid ? ` to process group ${pgid}` : ''}) and the connection closed`);
  }
  outputs.exitCode = exit.code ?? (exit.signal ? 128 + (SIGNALS[exit.signal] ?? 0) : -1);
  if (outputs.exitCode !== 0) {
    const cause =
      exit.code === undefined ? (exit.signal ? `was ended by SIG${exit.signal}` : 'ended without an exit status (the connection dropped?)') : `exited with code ${exit.code}`;
    const tail = stderrTail.length ? `; stderr ended with: ${stderrTail.join(' | ').slice(0, 500)}` : '';
    throw new PluginError('REMOTE_ERROR', `the command on ${where} ${cause}${tail}`, { retryable: true, details: { exitCode: outputs.exitCode } });
  }
  if (outputs.stdErrLineCount > 0 && p.warningOnStdErr === true) {
    ctx.setWarning(`the command wrote ${outputs.stdErrLineCount} line(s) to stderr (warningOnStdErr)`);
  }
  return outputs;
}

const SIGNALS: Record<string, number> = { HUP: 1, INT: 2, QUIT: 3, ABRT: 6, KILL: 9, SEGV: 11, PIPE: 13, ALRM: 14, TERM: 15 };
