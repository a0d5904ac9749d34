// The Ansible tests run the real ansible-playbook (Debian's `ansible` package, installed by .ci/run):
// missing, they fail with the command that installs it.
import { execFileSync } from 'node:child_process';

export function requireAnsible(): void {
  try {
    execFileSync('ansible-playbook', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error('ansible-playbook is not installed on this machine; install it with: apt-get install --no-install-recommends ansible');
  }
}
