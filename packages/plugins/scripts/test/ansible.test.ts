// AnsibleCLI with the real ansible-playbook (Debian's `ansible` package) against localhost.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPluginTask } from '@baton/plugin-sdk/testing';
import { ansibleCliRuntime } from '../src/runtime';
import { requireAnsible } from './ansible-required';
import { TestStorage } from './storage';

const inventory = 'localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n';

function playbook(target: string, content: string): string {
  return [
    '- name: managed files',
    '  hosts: all',
    '  gather_facts: false',
    '  tasks:',
    '    - name: motd',
    '      ansible.builtin.copy:',
    `        dest: ${target}`,
    `        content: "${content}\\n"`,
    '    - name: always fine',
    '      ansible.builtin.debug:',
    '        msg: nothing to change',
    '',
  ].join('\n');
}

// ansible-playbook takes seconds to start on a busy machine: generous limits, no timing asserted.
describe('AnsibleCLI', { timeout: 300_000 }, () => {
  let dir: string;
  beforeAll(() => {
    requireAnsible();
    dir = mkdtempSync(path.join(os.tmpdir(), 'baton-ansible-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports drift per host and task in check mode, with the diff, and changes nothing', async () => {
    const target = path.join(dir, 'motd-drift');
    writeFileSync(target, 'hand edited\n');
    const result = await runPluginTask(ansibleCliRuntime, {
      inputFiles: { 'inventory.ini': inventory, 'playbook.yml': playbook(target, 'managed by ansible') },
      commands: ['ansible-playbook -i inventory.ini playbook.yml --check --diff'],
    });
    expect(result.error).toBeUndefined();
    const outputs = result.outputs;
    expect(outputs.changed).toBe(true);
    expect(outputs.failed).toBe(false);
    const motd = outputs.results.find((r: { task: string }) => r.task === 'motd');
    expect(motd).toMatchObject({ host: 'localhost', play: 'managed files', status: 'changed', changed: true, failed: false, unreachable: false, action: 'ansible.builtin.copy' });
    expect(motd.diff).toContain('-hand edited');
    expect(motd.diff).toContain('+managed by ansible');
    expect(outputs.results.find((r: { task: string }) => r.task === 'always fine')).toMatchObject({ status: 'ok', changed: false });
    expect(outputs.hosts.localhost).toMatchObject({ changed: 1, failures: 0, unreachable: 0 });
    expect(outputs.playbooks[0].plays[0].tasks.map((t: { name: string }) => t.name)).toEqual(['motd', 'always fine']);
    // Check mode: the file is untouched.
    expect(readFileSync(target, 'utf8')).toBe('hand edited\n');
    // The human log streamed as it came.
    expect(result.logs.some((l) => l.message.includes('PLAY RECAP'))).toBe(true);
  });

  it('reports no drift when the host matches, and applies a fix when run for real', async () => {
    const target = path.join(dir, 'motd-apply');
    writeFileSync(target, 'old\n');
    const props = { inputFiles: { 'inventory.ini': inventory, 'playbook.yml': playbook(target, 'wanted') } };
    const apply = await runPluginTask(ansibleCliRuntime, { ...props, commands: ['ansible-playbook -i inventory.ini playbook.yml --diff'] });
    expect(apply.error).toBeUndefined();
    expect(apply.outputs.changed).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('wanted\n');

    const check = await runPluginTask(ansibleCliRuntime, { ...props, commands: ['ansible-playbook -i inventory.ini playbook.yml --check --diff'] });
    expect(check.error).toBeUndefined();
    expect(check.outputs.changed).toBe(false);
    expect(check.outputs.results.every((r: { changed: boolean; diff?: string }) => !r.changed && !r.diff)).toBe(true);
  });

  it('fails with the host and task that failed, unreachable hosts too', async () => {
    const failing = [
      '- hosts: all',
      '  gather_facts: false',
      '  tasks:',
      '    - name: reach the host',
      '      ansible.builtin.ping:',
      '    - name: check the disk',
      '      ansible.builtin.fail:',
      '        msg: disk is full',
      '',
    ].join('\n');
    const result = await runPluginTask(ansibleCliRuntime, {
      inputFiles: {
        'inventory.ini': `${inventory}ghost ansible_host=203.0.113.1 ansible_connection=ssh ansible_ssh_timeout=1 ansible_ssh_common_args="-o ConnectTimeout=1"\n`,
        'playbook.yml': failing,
      },
      commands: ['ansible-playbook -i inventory.ini playbook.yml'],
    });
    expect(result.error?.message).toMatch(/exited with code [24]/);
    expect(result.error?.message).toContain('localhost failed at "check the disk": disk is full');
    expect(result.error?.message).toContain('ghost unreachable at "reach the host"');
  });

  it('runs several commands and beforeCommands once, merging the results; uploads the log file', async () => {
    const storage = new TestStorage();
    const a = path.join(dir, 'multi-a');
    const b = path.join(dir, 'multi-b');
    const result = await runPluginTask(
      ansibleCliRuntime,
      {
        inputFiles: { 'inventory.ini': inventory, 'a.yml': playbook(a, 'A'), 'b.yml': playbook(b, 'B') },
        beforeCommands: ['echo before-ran >> before.txt'],
        commands: ['ansible-playbook -i inventory.ini a.yml', 'ansible-playbook -i inventory.ini b.yml', 'test "$(wc -l < before.txt)" -eq 1'],
        outputLogFile: true,
      },
      { storage },
    );
    expect(result.error).toBeUndefined();
    expect(result.outputs.results.filter((r: { task: string }) => r.task === 'motd')).toHaveLength(2);
    expect(result.outputs.hosts.localhost.changed).toBe(2);
    expect(result.outputs.playbooks).toHaveLength(2);
    expect((await storage.get(result.outputs.outputFiles.log)).toString()).toContain('PLAY RECAP');
    expect(Object.keys(result.outputs.outputFiles)).toEqual(['log']);
  });
});
