// SFTP Upload and Download on the SSH connection (ssh2's SFTP subsystem), with errors that name the
// remote path and what to check.
import path from 'node:path';
import { PluginError, type TaskContext } from '@baton/plugin-sdk';
import type { Client, SFTPWrapper } from 'ssh2';
import { withSession, type ConnectionProps } from './session';

export interface SftpProps extends ConnectionProps {
  from: string;
  to?: string;
  rootDir?: boolean;
}

export interface SftpOutputs {
  from: string;
  to: string;
  size: number;
}

function openSftp(client: Client, where: string): Promise<SFTPWrapper> {
  return new Promise((resolve, reject) =>
    client.sftp((error, sftp) =>
      error
        ? reject(new PluginError('REMOTE_ERROR', `${where} refused the SFTP subsystem (${error.message}): enable "Subsystem sftp" in its sshd_config`, { cause: error }))
        : resolve(sftp),
    ),
  );
}

/** The path as the server takes it: absolute (rootDir, Kestra's default) or relative to the home directory. */
function remotePath(p: string, rootDir: boolean | undefined): string {
  return rootDir === false ? p.replace(/^\/+/, '') : p.startsWith('/') ? p : `/${p}`;
}

function sftpError(error: Error & { code?: number }, action: string, file: string, where: string): PluginError {
  // SFTP status codes: 2 no such file, 3 permission denied.
  if (error.code === 2)
    return new PluginError('NOT_FOUND', `${action} ${file} on ${where}: no such file or directory (check the path, and that its directory exists)`, { cause: error });
  if (error.code === 3) return new PluginError('PERMISSION_DENIED', `${action} ${file} on ${where}: permission denied for the SSH user`, { cause: error });
  return new PluginError('REMOTE_ERROR', `${action} ${file} on ${where} failed: ${error.message}`, { cause: error });
}

function abortable<T>(ctx: TaskContext<unknown>, promise: Promise<T>, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new PluginError('CANCELLED', `killed during ${what}`));
    if (ctx.signal.aborted) return onAbort();
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => ctx.signal.removeEventListener('abort', onAbort));
  });
}

export function runUpload(ctx: TaskContext<SftpProps>): Promise<SftpOutputs> {
  const p = ctx.props;
  const to = remotePath(p.to ?? '', p.rootDir);
  return withSession(ctx, async (client, where) => {
    const data = await ctx.storage.get(p.from);
    const sftp = await openSftp(client, where);
    await abortable(
      ctx,
      new Promise<void>((resolve, reject) => sftp.writeFile(to, data, (error) => (error ? reject(sftpError(error, 'writing', to, where)) : resolve()))),
      `the upload to ${to}`,
    );
    ctx.logger.info(`uploaded ${data.length} bytes to ${to} on ${where}`);
    return { from: p.from, to: `sftp://${where}${to.startsWith('/') ? '' : '/~/'}${to}`, size: data.length };
  });
}

export function runDownload(ctx: TaskContext<SftpProps>): Promise<SftpOutputs> {
  const p = ctx.props;
  const from = remotePath(p.from, p.rootDir);
  return withSession(ctx, async (client, where) => {
    const sftp = await openSftp(client, where);
    const data = await abortable(
      ctx,
      new Promise<Buffer>((resolve, reject) => sftp.readFile(from, (error, buffer) => (error ? reject(sftpError(error, 'reading', from, where)) : resolve(buffer)))),
      `the download of ${from}`,
    );
    const stored = await ctx.storage.put(path.posix.basename(from) || 'download', data);
    ctx.logger.info(`downloaded ${stored.size} bytes from ${from} on ${where}`);
    return { from: `sftp://${where}${from.startsWith('/') ? '' : '/~/'}${from}`, to: stored.uri, size: stored.size };
  });
}
