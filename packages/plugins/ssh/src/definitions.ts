// io.kestra.plugin.fs.ssh.Command (definition, zod only): Kestra's properties and outputs, with
// Baton's safer defaults. The host key is verified unless the flow says `strictHostKeyChecking: "no"`
// (Kestra's default is "no"; Baton's is to verify, against `hostKey` or `knownHosts`).
import { definePlugin, z } from '@baton/plugin-sdk';

const example = (title: string, body: string) => ({ title, flow: `id: example\nnamespace: company.team\n\n${body.trim()}\n` });

export const AUTH_METHODS = ['PASSWORD', 'PUBLIC_KEY', 'OPEN_SSH'] as const;

const envValue = z.union([z.string(), z.number(), z.boolean()]);

/** What every SSH task connects with (Kestra's SshInterface, plus Baton's host key pinning). */
export const connectionShape = {
  enableSshRsa1: z.boolean().optional().describe('Also accept the weak ssh-rsa (RSA/SHA-1) signature algorithm for old servers (default false)'),
  host: z.string().min(1).describe('Host name or IP address of the SSH server'),
  port: z
    .union([z.string().regex(/^\d{1,5}$/, 'a port number such as "22"'), z.number().int().min(1).max(65535)])
    .optional()
    .describe('Port of the SSH server (default 22). A string, as in Kestra, or a number'),
  username: z.string().min(1).optional().describe('The user to log in as. Required unless `credential` names an ssh_private_key credential that has one'),
  authMethod: z
    .enum(AUTH_METHODS)
    .optional()
    .describe(
      'PASSWORD or PUBLIC_KEY. Default: PUBLIC_KEY when `privateKey` or `credential` is set, PASSWORD otherwise. OPEN_SSH (the worker’s own ~/.ssh/config and keys) is refused: a flow must not borrow the worker’s identity',
    ),
  password: z.string().optional().describe("The password (PASSWORD). Give it as {{ secret('NAME') }}: it is masked in logs, outputs and errors"),
  privateKey: z
    .string()
    .optional()
    .describe("The private key (PUBLIC_KEY), OpenSSH or PEM format, as {{ secret('NAME') }}: it is masked in logs, outputs and errors, line by line"),
  privateKeyPassphrase: z.string().optional().describe('The passphrase of an encrypted private key, as a secret'),
  credential: z
    .string()
    .min(1)
    .optional()
    .describe('Name of an `ssh_private_key` credential of the namespace (docs/credentials.md): its username, private key and passphrase are used'),
  strictHostKeyChecking: z
    .enum(['yes', 'no', 'ask'])
    .optional()
    .describe(
      'Verify the server’s host key (Kestra’s property). Baton’s default is to verify ("yes"; "ask" is "yes": there is nobody to ask) against `hostKey` or `knownHosts`. "no" accepts any key and logs a loud warning: anyone on the path can then read the commands and the password',
    ),
  hostKey: z
    .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
    .optional()
    .describe(
      'The server’s host public key(s) to accept: a known_hosts key (`ssh-ed25519 AAAA…`) or a fingerprint (`SHA256:…`, as `ssh-keygen -lf` prints). A refused connection says the fingerprint it saw',
    ),
  knownHosts: z
    .string()
    .optional()
    .describe(
      'known_hosts lines (what `ssh-keyscan -p PORT HOST` prints; hashed names accepted), e.g. from a namespace file or a secret; the line for this host and port must match',
    ),
  connectTimeout: z.string().optional().describe('How long to wait for the connection and authentication, ISO-8601 (default PT30S)'),
};

interface ConnectionFields {
  authMethod?: string;
  password?: string;
  privateKey?: string;
  credential?: string;
  username?: string;
  /** Kestra's SFTP tasks' name for the private key. */
  keyfile?: string;
}

/** Auth checks at save: what is missing and how to fix it. */
export function checkConnection(props: ConnectionFields, ctx: z.RefinementCtx): void {
  if (props.authMethod === 'OPEN_SSH') {
    ctx.addIssue({
      code: 'custom',
      path: ['authMethod'],
      message:
        "authMethod OPEN_SSH would use the worker's own ~/.ssh/config and keys, which Baton does not lend to flows; use PUBLIC_KEY with privateKey: \"{{ secret('SSH_KEY') }}\" (or credential: <an ssh_private_key credential>), or PASSWORD",
    });
  }
  const method = props.authMethod ?? (props.privateKey !== undefined || props.keyfile !== undefined || props.credential !== undefined ? 'PUBLIC_KEY' : 'PASSWORD');
  if (method === 'PASSWORD' && props.password === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['password'],
      message: 'no password for authMethod PASSWORD: set password: "{{ secret(\'SSH_PASSWORD\') }}", or use a key (privateKey or credential)',
    });
  }
  if (method === 'PUBLIC_KEY' && props.privateKey === undefined && props.keyfile === undefined && props.credential === undefined) {
    ctx.addIssue({ code: 'custom', path: ['privateKey'], message: 'no private key for authMethod PUBLIC_KEY: set privateKey: "{{ secret(\'SSH_KEY\') }}" or credential: <name>' });
  }
  if (props.username === undefined && props.credential === undefined) {
    ctx.addIssue({ code: 'custom', path: ['username'], message: 'username is required (the user to log in as), unless credential names an ssh_private_key credential' });
  }
}

export const commandProps = z
  .object({
    ...connectionShape,
    commands: z.array(z.string()).min(1).describe('The commands, joined with newlines and run as one command by the remote user’s login shell, as Kestra does'),
    env: z
      .record(z.string(), envValue)
      .optional()
      .describe(
        'Environment variables sent with the command (SSH `env` requests). The server keeps only the names its AcceptEnv allows (OpenSSH: none but LANG and LC_* by default)',
      ),
    warningOnStdErr: z.boolean().optional().describe('End the task WARNING when the command wrote to stderr and exited 0 (default false: Kestra’s SSH task never warns on stderr)'),
    posixShell: z
      .boolean()
      .optional()
      .describe(
        'The remote login shell is POSIX (sh, bash, zsh, ksh: default true). Baton then learns the command’s process group, and a kill terminates it from a second channel (`kill -TERM -PGID`, then KILL), which works where the server refuses SSH signals (root logins). Set false for network devices and other non-POSIX shells: a kill then sends the SSH signal and closes the channel',
      ),
  })
  .superRefine(checkConnection);

export const commandOutputs = z.object({
  exitCode: z.number().describe('The exit code of the commands (0: success)'),
  vars: z.record(z.string(), z.unknown()).describe('What the commands printed as ::{"outputs":{…}}:: lines, merged'),
  stdOutLineCount: z.number().describe('Lines written to stdout'),
  stdErrLineCount: z.number().describe('Lines written to stderr'),
});

export const sshCommand = definePlugin({
  id: 'ssh.Command',
  aliases: ['io.kestra.plugin.fs.ssh.Command'],
  group: 'SSH',
  title: 'Run commands over SSH',
  description:
    'Runs commands on a remote host over SSH (a pure-JavaScript client on the worker), as Kestra’s `io.kestra.plugin.fs.ssh.Command`: the commands are joined ' +
    'with newlines and run by the remote login shell; stdout lines are logged INFO as they come and stderr lines ERROR (or the level a line starts with); ' +
    '`::{"outputs":{…}}::` lines set `outputs.<task>.vars`; a non-zero exit code fails the task with the code and the last stderr lines. ' +
    '**Safer than Kestra by default**: the server’s host key must match `hostKey` or `knownHosts` (a mismatch is refused with the fingerprint seen and how to pin it), ' +
    'unless `strictHostKeyChecking: "no"`, which logs a warning. The password, private key and passphrase come from secrets or a credential and are masked ' +
    'in logs, outputs and errors. A kill or the task’s `timeout` terminates the remote command (SIGTERM to its process group, then SIGKILL, then the connection closes). ' +
    'Not idempotent: a retry runs the commands again.',
  idempotent: false,
  activity: { timeout: 'PT1H', heartbeatTimeout: 'PT30S', retry: { maxAttempt: 1 } },
  props: commandProps,
  outputs: commandOutputs,
  examples: [
    example(
      'Run commands with a key from a secret, host key pinned',
      `
tasks:
  - id: uptime
    type: io.kestra.plugin.fs.ssh.Command
    host: web-1.example.com
    port: "22"
    authMethod: PUBLIC_KEY
    username: deploy
    privateKey: "{{ secret('SSH_PRIVATE_KEY') }}"
    hostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMKdqj49Thv28PqcRx7KsFu7txFwPujshsA16KkoWk4C"
    commands:
      - uptime
      - echo "::{\\"outputs\\":{\\"kernel\\":\\"$(uname -r)\\"}}::"
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "kernel {{ outputs.uptime.vars.kernel }}"
`,
    ),
    example(
      'Password authentication, known_hosts from a secret',
      `
tasks:
  - id: command
    type: io.kestra.plugin.fs.ssh.Command
    host: 10.0.0.12
    authMethod: PASSWORD
    username: ops
    password: "{{ secret('SSH_PASSWORD') }}"
    knownHosts: "{{ secret('SSH_KNOWN_HOSTS') }}"
    timeout: PT10M
    commands:
      - sudo -n apt-get -q update
`,
    ),
    example(
      'A namespace credential (ssh_private_key) gives the user and the key',
      `
tasks:
  - id: patch
    type: io.kestra.plugin.fs.ssh.Command
    host: db-2.example.com
    credential: patching-key
    hostKey: "SHA256:94OW4PgDJIGK08sp8vzGZd36OT8kSfW0rWxvVXOeasw"
    env:
      DEBIAN_FRONTEND: noninteractive
    commands:
      - sudo -n unattended-upgrade -v
`,
    ),
  ],
});
