// The SSH runtime: the ssh2 client on the worker. Only the worker imports this entry point.
import { defineRuntime, type PluginRuntime } from '@baton/plugin-sdk';
import { runCommand } from './command';
import { sshCommand } from './definitions';
import { runDownload, runUpload } from './sftp';
import { sftpDownload, sftpUpload } from './sftp-definitions';

export const sshCommandRuntime = defineRuntime(sshCommand, (ctx) => runCommand(ctx));

export const sftpUploadRuntime = defineRuntime(sftpUpload, (ctx) => runUpload(ctx));
export const sftpDownloadRuntime = defineRuntime(sftpDownload, (ctx) => runDownload(ctx));

export const runtimes: PluginRuntime[] = [sshCommandRuntime, sftpUploadRuntime, sftpDownloadRuntime] as PluginRuntime[];
