// io.kestra.plugin.ansible.cli.AnsibleCLI on the process runner (definition). The runtime enables a
// small callback plugin shipped with Baton (../ansible/callback_plugins/baton_results.py) that writes
// every host's result of every task as JSON; the outputs come from that file, never from parsing the
// human log.
import { definePlugin, z } from '@baton/plugin-sdk';
import { scriptCommonProps, scriptOutputs } from './common';
import { example } from './example';

export const hostResultSchema = z.object({
  play: z.string().describe('The play’s name'),
  task: z.string().describe('The task’s name (its action when unnamed)'),
  action: z.string().describe('The module, e.g. ansible.builtin.copy'),
  host: z.string().describe('The inventory host'),
  status: z.enum(['ok', 'changed', 'failed', 'unreachable', 'skipped']).describe('What happened on the host'),
  changed: z.boolean().describe('The task changed (or, in check mode, would change) the host'),
  failed: z.boolean(),
  unreachable: z.boolean(),
  skipped: z.boolean(),
  diff: z.string().optional().describe('The unified diff Ansible reported (with --diff), when there is one'),
  msg: z.string().optional().describe('Ansible’s message for the result, when it has one (failures, skips)'),
});

const hostSummary = z.object({
  ok: z.number(),
  changed: z.number(),
  failures: z.number(),
  unreachable: z.number(),
  skipped: z.number(),
  rescued: z.number(),
  ignored: z.number(),
});

export const ansibleCli = definePlugin({
  id: 'ansible.cli.AnsibleCLI',
  aliases: ['io.kestra.plugin.ansible.cli.AnsibleCLI'],
  group: 'Ansible',
  title: 'Run Ansible CLI commands',
  description:
    'Runs `ansible-playbook` (or any Ansible command) from the worker, which needs Debian’s `ansible` package (`apt-get install ansible`). ' +
    'Put the inventory and the playbook in `inputFiles` (text, kestra:// URIs or `{{ read(...) }}`) or in namespace files. ' +
    'Each command runs on its own, in the same working directory; `beforeCommands` run once before the first. ' +
    'Every host’s result of every task is collected by a JSON callback plugin shipped with Baton (whatever stdout callback or ansible.cfg you use): ' +
    '`outputs.<task>.results` lists them (play, task, host, status, changed, failed, unreachable, skipped and, with `--diff`, the diff), ' +
    '`outputs.<task>.hosts` sums them per host (Ansible’s recap), `changed` and `failed` say whether any host changed or failed. ' +
    'In check mode (`--check --diff`) `changed` means drift: what a real run would change. ' +
    'A failed or unreachable host makes ansible-playbook exit non-zero, which fails the task (its results are in the logs). ' +
    'Human output streams to the logs as it comes. Kestra’s `playbooks` output (plays → tasks → hosts) is there too. ' +
    'Without an `ansible.cfg` in the input files, one is written from `ansibleConfig`.',
  idempotent: false,
  activity: { timeout: 'PT2H', heartbeatTimeout: 'PT30S', retry: { maxAttempt: 1 } },
  props: z.object({
    commands: z.array(z.string()).min(1).describe('Ansible commands, each run on its own (e.g. ansible-playbook -i inventory.ini playbook.yml --check --diff)'),
    ansibleConfig: z.string().optional().describe('The ansible.cfg written to the working directory when inputFiles has none'),
    outputLogFile: z.boolean().optional().describe('Upload Ansible’s log file as outputs.outputFiles.log (default false)'),
    ...scriptCommonProps,
  }),
  outputs: scriptOutputs.extend({
    results: z.array(hostResultSchema).describe('One entry per host per task, in the order they ran, over all commands'),
    hosts: z.record(z.string(), hostSummary).describe('Per host: the counts of Ansible’s recap, over all commands'),
    changed: z.boolean().describe('Some task changed (in check mode: would change) some host'),
    failed: z.boolean().describe('Some task failed, or some host was unreachable'),
    playbooks: z.array(z.unknown()).describe('Kestra’s shape: per command, its plays, their tasks and each host’s status and result'),
  }),
  examples: [
    example(
      'Check a host against a playbook (drift) and report the changes',
      `
tasks:
  - id: check
    type: io.kestra.plugin.ansible.cli.AnsibleCLI
    taskRunner:
      type: io.kestra.plugin.core.runner.Process
    inputFiles:
      inventory.ini: |
        localhost ansible_connection=local
      playbook.yml: |
        - hosts: all
          gather_facts: false
          tasks:
            - name: motd
              ansible.builtin.copy:
                dest: /tmp/motd
                content: "managed by ansible\\n"
    commands:
      - ansible-playbook -i inventory.ini playbook.yml --check --diff
  - id: report
    type: io.kestra.plugin.core.log.Log
    message: "drift: {{ outputs.check.changed }} on {{ outputs.check.results | length }} results"
`,
    ),
  ],
});
