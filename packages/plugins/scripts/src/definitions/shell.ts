// io.kestra.plugin.scripts.shell.Commands and shell.Script on the process runner (definitions).
import { definePlugin, z } from '@baton/plugin-sdk';
import { scriptCommonProps, scriptOutputs } from './common';
import { example } from './example';

const shared =
  'Each attempt runs in a fresh working directory on the worker (removed afterwards), as a process group of its own: a kill or a timeout ' +
  'terminates the whole group (SIGTERM, then SIGKILL), children included. stdout lines are logged INFO and stderr lines ERROR, as Kestra ' +
  '0.21+, unless a line starts with a level (`WARN: …`, `[DEBUG] …`). A line `::{"outputs":{"key":"value"}}::` sets `outputs.<task>.vars.key`; ' +
  '`::{"metrics":[…]}::` lines are accepted. Secrets used in the properties are masked in the logs and outputs. A non-zero exit code fails the task; ' +
  'output written to stderr by a process that exits 0 ends it WARNING unless `warningOnStdErr: false`. ' +
  "The environment is what `env` says plus PATH (Debian's default), HOME, LANG, WORKING_DIR and OUTPUT_DIR: the worker's own variables " +
  '(database URL, encryption key) never reach a script. Only the process runner exists: container runners are refused at save.';

const activity = { timeout: 'PT1H', heartbeatTimeout: 'PT30S', retry: { maxAttempt: 1 } };

export const shellCommands = definePlugin({
  id: 'scripts.shell.Commands',
  aliases: ['io.kestra.plugin.scripts.shell.Commands', 'io.kestra.core.tasks.scripts.Bash'],
  group: 'Scripts',
  title: 'Run shell commands',
  description: `Runs a list of shell commands, one script, with \`/bin/sh -c\` (or \`interpreter\`). ${shared}`,
  idempotent: false,
  activity,
  props: z.object({
    commands: z.array(z.string()).min(1).describe('The commands, run in order in one shell'),
    ...scriptCommonProps,
  }),
  outputs: scriptOutputs,
  examples: [
    example(
      'Run commands, pass a value on and keep a file',
      `
tasks:
  - id: report
    type: io.kestra.plugin.scripts.shell.Commands
    taskRunner:
      type: io.kestra.plugin.core.runner.Process
    env:
      REGION: eu-west
    inputFiles:
      hosts.txt: |
        web-1
        web-2
    outputFiles:
      - "*.csv"
    commands:
      - wc -l < hosts.txt
      - echo "host,region" > report.csv
      - while read h; do echo "$h,$REGION" >> report.csv; done < hosts.txt
      - echo '::{"outputs":{"hosts":2}}::'
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.report.vars.hosts }} hosts in {{ outputs.report.outputFiles['report.csv'] }}"
`,
    ),
  ],
});

export const shellScript = definePlugin({
  id: 'scripts.shell.Script',
  aliases: ['io.kestra.plugin.scripts.shell.Script'],
  group: 'Scripts',
  title: 'Run a shell script',
  description: `Runs a multi-line shell script with \`/bin/sh -c\` (or \`interpreter\`). ${shared}`,
  idempotent: false,
  activity,
  props: z.object({
    script: z.string().min(1).describe('The script, run as one program by the interpreter'),
    ...scriptCommonProps,
  }),
  outputs: scriptOutputs,
  examples: [
    example(
      'A script that uses a namespace file and a secret',
      `
tasks:
  - id: check
    type: io.kestra.plugin.scripts.shell.Script
    namespaceFiles:
      enabled: true
      include:
        - scripts/**
    env:
      API_TOKEN: "{{ secret('API_TOKEN') }}"
    script: |
      set -eu
      sh scripts/check.sh
      echo "::{\\"outputs\\":{\\"checked\\":true}}::"
`,
    ),
  ],
});
