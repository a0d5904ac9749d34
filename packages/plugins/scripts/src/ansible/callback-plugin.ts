// Baton's Ansible callback plugin, written into the working directory of each AnsibleCLI attempt and
// enabled through ANSIBLE_CALLBACK_PLUGINS / ANSIBLE_CALLBACKS_ENABLED (environment variables win over
// any ansible.cfg, so the user's config cannot turn it off by accident). It is an aggregate callback:
// the human stdout callback still streams to the logs. At the end of the playbook it writes every
// host's result of every task, and the recap, as JSON to $BATON_ANSIBLE_RESULTS. Kept as a string here
// (not a .py file beside it) so it travels with the worker's bundle whatever the packaging.
export const CALLBACK_NAME = 'baton_results';

export const CALLBACK_SOURCE = String.raw`# Baton: per-host, per-task results of ansible-playbook as JSON (see callback-plugin.ts).
from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = '''
    name: baton_results
    type: aggregate
    short_description: writes each host's result of each task as JSON for Baton
    description:
      - Writes plays, tasks, per-host results (changed, failed, unreachable, skipped, diff) and the recap
        to the file named by BATON_ANSIBLE_RESULTS when the playbook ends.
    requirements:
      - enabled in callbacks_enabled
'''

import datetime
import json
import os

from ansible.plugins.callback import CallbackBase

MAX_DIFF_CHARS = 65536
MAX_MSG_CHARS = 4096


def _now():
    return datetime.datetime.utcnow().strftime('%Y-%m-%dT%H:%M:%S.%f')[:-3] + 'Z'


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'baton_results'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super(CallbackModule, self).__init__(*args, **kwargs)
        self._path = os.environ.get('BATON_ANSIBLE_RESULTS')
        self._plays = []
        self._results = []
        self._tasks = {}
        self._play = None

    def v2_playbook_on_play_start(self, play):
        self._play = {'name': play.get_name() or 'play', 'tasks': []}
        self._plays.append(self._play)

    def _start(self, task):
        if self._play is None:
            self.v2_playbook_on_play_start(type('P', (), {'get_name': lambda s: 'play'})())
        entry = {
            'uid': 'play:%s|task:%s' % (self._play['name'], task._uuid),
            'name': task.get_name() or task.action,
            'action': task.action,
            'startedAt': _now(),
            'endedAt': None,
            'hosts': [],
        }
        self._play['tasks'].append(entry)
        self._tasks[task._uuid] = (self._play['name'], entry)

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._start(task)

    def v2_playbook_on_handler_task_start(self, task):
        self._start(task)

    def _diff_text(self, result):
        diffs = []
        if result.get('diff'):
            diffs.append(result['diff'])
        for item in result.get('results') or []:
            if isinstance(item, dict) and item.get('diff'):
                diffs.append(item['diff'])
        text = ''
        for diff in diffs:
            try:
                text += self._get_diff(diff)
            except Exception as error:  # a module's odd diff shape must not lose the results
                text += 'diff could not be rendered: %s\n' % error
        return text[:MAX_DIFF_CHARS] if text else None

    def _record(self, result, status):
        task = result._task
        if task._uuid not in self._tasks:
            self._start(task)
        play, entry = self._tasks[task._uuid]
        entry['endedAt'] = _now()
        raw = result._result
        changed = bool(raw.get('changed', False)) and status not in ('failed', 'unreachable')
        if status == 'ok' and changed:
            status = 'changed'
        record = {
            'play': play,
            'task': entry['name'],
            'action': entry['action'],
            'host': result._host.get_name(),
            'status': status,
            'changed': changed,
            'failed': status == 'failed',
            'unreachable': status == 'unreachable',
            'skipped': status == 'skipped',
        }
        diff = self._diff_text(raw)
        if diff:
            record['diff'] = diff
        msg = raw.get('msg') or raw.get('skip_reason') or raw.get('stderr')
        if msg:
            record['msg'] = str(msg)[:MAX_MSG_CHARS]
        self._results.append(record)
        clean = dict((k, v) for k, v in raw.items() if not k.startswith('_ansible'))
        entry['hosts'].append({'host': record['host'], 'status': status, 'result': clean})

    def v2_runner_on_ok(self, result):
        self._record(result, 'ok')

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record(result, 'failed')

    def v2_runner_on_unreachable(self, result):
        self._record(result, 'unreachable')

    def v2_runner_on_skipped(self, result):
        self._record(result, 'skipped')

    def v2_playbook_on_stats(self, stats):
        hosts = {}
        for host in sorted(stats.processed.keys()):
            s = stats.summarize(host)
            hosts[host] = dict((k, s.get(k, 0)) for k in ('ok', 'changed', 'failures', 'unreachable', 'skipped', 'rescued', 'ignored'))
        if not self._path:
            return
        with open(self._path, 'w') as out:
            json.dump({'plays': self._plays, 'results': self._results, 'hosts': hosts}, out, default=str)
`;
