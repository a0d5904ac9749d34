// SSH tasks (Kestra's io.kestra.plugin.fs.ssh). Definitions only (zod): the web app imports this entry
// point; the runtime (the ssh2 client) is behind ./runtime.
import type { PluginDefinition } from '@baton/plugin-sdk';
import { sshCommand } from './definitions';
import { sftpDownload, sftpUpload } from './sftp-definitions';

export { sshCommand, commandProps, commandOutputs, connectionShape, checkConnection, AUTH_METHODS } from './definitions';
export { sftpUpload, sftpDownload, sftpOutputs } from './sftp-definitions';

export const definitions: PluginDefinition[] = [sshCommand, sftpUpload, sftpDownload] as PluginDefinition[];
