// io.kestra.plugin.fs.sftp.Upload and Download (definitions, zod only): a file between internal
// storage and an SFTP server, over the same connection as the SSH Command task (host key verified by
// default, secrets masked). Kestra's SFTP names for the key (`keyfile`, `passphrase`) are accepted.
import { definePlugin, z } from '@baton/plugin-sdk';
import { checkConnection, connectionShape } from './definitions';

const example = (title: string, body: string) => ({ title, flow: `id: example\nnamespace: company.team\n\n${body.trim()}\n` });

const sftpShape = {
  ...connectionShape,
  keyfile: z.string().optional().describe("Kestra's SFTP name for privateKey: the private key (OpenSSH or PEM), as {{ secret('NAME') }}"),
  passphrase: z.string().optional().describe("Kestra's SFTP name for privateKeyPassphrase"),
  rootDir: z.boolean().optional().describe('Paths are absolute from the server’s root (default true, as Kestra). false: a path is relative to the user’s home directory'),
};

export const sftpOutputs = z.object({
  from: z.string().describe('Where the file came from: a kestra:// URI (Upload) or sftp://host:port/path (Download)'),
  to: z.string().describe('Where the file went: sftp://host:port/path (Upload) or its kestra:// URI (Download)'),
  size: z.number().describe('Bytes transferred'),
});

const activity = { timeout: 'PT1H', heartbeatTimeout: 'PT30S', retry: { maxAttempt: 1 } };

export const sftpUpload = definePlugin({
  id: 'ssh.sftp.Upload',
  aliases: ['io.kestra.plugin.fs.sftp.Upload'],
  group: 'SSH',
  title: 'Upload a file over SFTP',
  description:
    'Copies a file of internal storage (`from`: a kestra:// URI, an earlier task’s output file or a FILE input; or an nsfile:// namespace file) to a path on an SFTP server (`to`), replacing a file there. ' +
    'The host key is verified as for the SSH Command task. Idempotent: uploading the same file again leaves the same file.',
  idempotent: true,
  activity,
  props: z
    .object({
      ...sftpShape,
      from: z.string().min(1).describe('The file to upload: kestra:///… or nsfile:///…'),
      to: z.string().min(1).describe('The remote path to write, e.g. /srv/app/config.yaml'),
    })
    .superRefine(checkConnection),
  outputs: sftpOutputs,
  examples: [
    example(
      'Upload a generated file to a server',
      `
inputs:
  - id: config
    type: FILE
tasks:
  - id: upload
    type: io.kestra.plugin.fs.sftp.Upload
    host: app-1.example.com
    username: deploy
    keyfile: "{{ secret('SSH_PRIVATE_KEY') }}"
    hostKey: "SHA256:94OW4PgDJIGK08sp8vzGZd36OT8kSfW0rWxvVXOeasw"
    from: "{{ inputs.config }}"
    to: /srv/app/config.yaml
`,
    ),
  ],
});

export const sftpDownload = definePlugin({
  id: 'ssh.sftp.Download',
  aliases: ['io.kestra.plugin.fs.sftp.Download'],
  group: 'SSH',
  title: 'Download a file over SFTP',
  description:
    'Copies a file from an SFTP server (`from`: a remote path) into internal storage; `outputs.<task>.to` is its kestra:// URI, readable by later tasks (`read()`, inputFiles). ' +
    'The host key is verified as for the SSH Command task.',
  idempotent: true,
  activity,
  props: z
    .object({
      ...sftpShape,
      from: z.string().min(1).describe('The remote path to read, e.g. /var/log/app/report.csv'),
    })
    .superRefine(checkConnection),
  outputs: sftpOutputs,
  examples: [
    example(
      'Download a report and log its first lines',
      `
tasks:
  - id: download
    type: io.kestra.plugin.fs.sftp.Download
    host: app-1.example.com
    port: "22"
    username: deploy
    keyfile: "{{ secret('SSH_PRIVATE_KEY') }}"
    knownHosts: "{{ secret('SSH_KNOWN_HOSTS') }}"
    from: /var/log/app/report.csv
  - id: show
    type: io.kestra.plugin.core.log.Log
    message: "{{ read(outputs.download.to) }}"
`,
    ),
  ],
});
