// Approval gates (docs/approvals.md) against the real stack: the approver set, the two-person
// rule, self-approval, comments, reject = cancel, expiry (fail, cancel, continue — never approve),
// the rendered description, notifications to a local webhook receiver and SMTP server, the audit
// log and Temporal history.
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { api, notificationsReceived, rawHistory, taskRun } from '@baton/testing';
import { EncryptionCodec, keyringFrom } from '../src';

const admin = api();
const NS = 'approvals.team';

interface Person {
  id: string;
  email: string;
  client: ReturnType<typeof api>;
}
const people: Record<string, Person> = {};

async function person(name: string, bindings: { role: string; namespace?: string }[], groups: string[] = []): Promise<Person> {
  const email = `${name}@approvals.test`;
  const user = await admin.call('POST', '/api/v1/main/users', { email, password: 'a-long-password' });
  expect(user.status, JSON.stringify(user.body)).toBe(201);
  for (const b of bindings) {
    const r = await admin.call('POST', '/api/v1/main/bindings', { subject: { type: 'USER', id: user.body.id }, role: b.role, ...(b.namespace ? { namespace: b.namespace } : {}) });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
  }
  for (const g of groups) expect((await admin.call('PUT', `/api/v1/main/groups/${g}/members/${user.body.id}`)).status).toBeLessThan(300);
  const token = await admin.call('POST', `/api/v1/main/users/${user.body.id}/api-tokens`, { name: 'approvals test' });
  return (people[name] = { id: user.body.id, email, client: api({ authorization: `Bearer ${token.body.token}` }) });
}

const as = (name: string) => people[name].client;

/** A flow with a plan task, an approval Pause and a task after it. */
function flow(id: string, approval: string, pause = '') {
  return `id: ${id}
namespace: ${NS}
tasks:
  - id: plan
    type: io.kestra.plugin.core.output.OutputValues
    values:
      diff: "+ server-{{ execution.id | length }}"
  - id: approve
    type: io.kestra.plugin.core.flow.Pause
${pause}    approval:
${approval
  .trim()
  .split('\n')
  .map((l) => `      ${l}`)
  .join('\n')}
  - id: apply
    type: io.kestra.plugin.core.log.Log
    message: "applied: {{ outputs.approve.decision }} by {{ outputs.approve.approvers | join(',') }}"
`;
}

/** Deploys (as admin) and starts as the requester; waits until it is PAUSED. */
async function startPaused(id: string, yaml: string, by = 'requester'): Promise<string> {
  const deployed = await admin.deploy(yaml);
  expect(deployed.status, JSON.stringify(deployed.body)).toBeLessThan(300);
  const started = await as(by).run(NS, id);
  expect(started.status, JSON.stringify(started.body)).toBe(200);
  await admin.waitFor(started.body.id, ['PAUSED']);
  return started.body.id as string;
}

const approve = (who: string, id: string, comment?: string, inputs: Record<string, unknown> = {}) =>
  as(who).call('POST', `/api/v1/main/executions/${id}/resume${comment === undefined ? '' : `?comment=${encodeURIComponent(comment)}`}`, inputs);
const reject = (who: string, id: string, comment?: string) => as(who).call('POST', `/api/v1/main/executions/${id}/reject`, comment === undefined ? {} : { comment });

/** The resume signals of an execution as Temporal history holds them (decoded with the stack's key). */
async function resumeSignals(id: string): Promise<any[]> {
  const codec = new EncryptionCodec(keyringFrom(inject('encryptionKey'), undefined));
  const history = await rawHistory(id);
  const out: any[] = [];
  for (const event of history.events ?? []) {
    const signal = event.workflowExecutionSignaledEventAttributes;
    if (!signal?.input?.payloads) continue;
    const decoded = await codec.decode(signal.input.payloads as any);
    out.push(...decoded.map((p) => JSON.parse(Buffer.from(p.data!).toString('utf8'))));
  }
  return out;
}

beforeAll(async () => {
  expect((await admin.call('POST', '/api/v1/main/groups', { id: 'change-board' })).status).toBe(201);
  await person('requester', [{ role: 'OPERATOR', namespace: NS }]);
  await person('alice', [{ role: 'APPROVER', namespace: NS }]);
  await person('bob', [{ role: 'APPROVER', namespace: 'approvals' }]);
  await person('carol', [{ role: 'VIEWER', namespace: NS }], ['change-board']);
  await person('outsider', [{ role: 'VIEWER', namespace: NS }]);
  await person('elsewhere', [{ role: 'APPROVER', namespace: 'other.team' }]);
});

describe('approval gates', () => {
  it('two-person rule: the first approval keeps it paused, the same person twice is refused, a second approver resumes it; decisions in outputs, history and audit', async () => {
    const id = await startPaused('two-person', flow('two-person', 'role: APPROVER\nrequired: 2\ndescription: "## Plan\\n{{ outputs.plan.values.diff }}"'));

    // What the approver sees: the description rendered with the plan's output.
    const view = await as('alice').call('GET', `/api/v1/main/executions/${id}/approval`);
    expect(view.status, JSON.stringify(view.body)).toBe(200);
    expect(view.body.request.description).toBe(`## Plan\n+ server-${id.length}`);
    expect(view.body).toMatchObject({ requestedBy: people.requester.email, approvals: 0, request: { required: 2, role: 'APPROVER' }, you: { approve: { allowed: true } } });
    const requesterView = await as('requester').call('GET', `/api/v1/main/executions/${id}/approval`);
    expect(requesterView.body.you.approve).toMatchObject({ allowed: false, reason: 'NOT_AN_APPROVER' });

    // The inbox: the approvers see it, the requester and the outsider do not.
    const inboxOf = async (who: string) => ((await as(who).call('GET', '/api/v1/main/approvals')).body.results as any[]).map((r) => r.executionId);
    expect(await inboxOf('alice')).toContain(id);
    expect(await inboxOf('bob')).toContain(id);
    expect(await inboxOf('requester')).not.toContain(id);
    expect(await inboxOf('outsider')).not.toContain(id);

    const first = await approve('alice', id, 'looks right');
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({ decision: 'APPROVE', approvals: 1, required: 2, resumed: false, outcome: 'PENDING' });
    await new Promise((r) => setTimeout(r, 500));
    expect((await admin.execution(id)).body.state.current).toBe('PAUSED');
    expect(await inboxOf('alice')).not.toContain(id);

    const twice = await approve('alice', id, 'again');
    expect(twice.status).toBe(403);
    expect(twice.body.details?.reason ?? JSON.stringify(twice.body)).toContain('ALREADY_DECIDED');

    const second = await approve('bob', id, 'ship it');
    expect(second.status, JSON.stringify(second.body)).toBe(200);
    expect(second.body).toMatchObject({ approvals: 2, resumed: true, outcome: 'APPROVED' });
    const done = await admin.waitFor(id);
    expect(done.state.current).toBe('SUCCESS');
    const outputs = taskRun(done, 'approve').outputs;
    expect(outputs).toMatchObject({ decision: 'APPROVED', approvers: [people.alice.email, people.bob.email], comment: 'ship it', timedOut: false, resumedBy: people.bob.email });
    expect(outputs.decisions.map((d: any) => [d.by, d.decision, d.comment])).toEqual([
      [people.alice.email, 'APPROVE', 'looks right'],
      [people.bob.email, 'APPROVE', 'ship it'],
    ]);
    expect(outputs.decisions.every((d: any) => !Number.isNaN(Date.parse(d.at)))).toBe(true);
    const logs = (await admin.logs(id)).body.map((l: any) => l.message);
    expect(logs).toContain(`applied: APPROVED by ${people.alice.email},${people.bob.email}`);

    // Temporal history holds the signal with both decisions.
    const signals = await resumeSignals(id);
    expect(signals).toHaveLength(1);
    expect(signals[0].approval.decision).toBe('APPROVED');
    expect(signals[0].approval.decisions.map((d: any) => d.by)).toEqual([people.alice.email, people.bob.email]);

    // The audit log: each decision with who and the comment.
    const audit = await admin.call('GET', `/api/v1/main/auditlogs/search?resource=execution:${id}&action=approval.approved`);
    expect(audit.body.results.map((r: any) => [r.actor, r.after.comment, r.after.outcome])).toEqual([
      [people.bob.email, 'ship it', 'APPROVED'],
      [people.alice.email, 'looks right', 'PENDING'],
    ]);

    // Decided: nothing waits any more.
    const late = await approve('carol', id, 'late');
    expect(late.status).toBe(409);
  });

  it('refuses self-approval with 403 and the reason, and allows it when configured', async () => {
    const refused = await startPaused('self-refused', flow('self-refused', `users: [${people.requester.email}, ${people.alice.email}]`));
    const self = await approve('requester', refused, 'mine');
    expect(self.status).toBe(403);
    expect(self.body.details.reason).toBe('SELF_APPROVAL');
    expect(self.body.message).toContain('started this execution');
    expect((await approve('alice', refused, 'ok')).status).toBe(200);
    expect((await admin.waitFor(refused)).state.current).toBe('SUCCESS');

    const allowed = await startPaused('self-allowed', flow('self-allowed', `users: [${people.requester.email}]\nallowSelfApproval: true`));
    const mine = await approve('requester', allowed, 'my own change');
    expect(mine.status, JSON.stringify(mine.body)).toBe(200);
    const done = await admin.waitFor(allowed);
    expect(done.state.current).toBe('SUCCESS');
    expect(taskRun(done, 'approve').outputs.approvers).toEqual([people.requester.email]);
  });

  it('refuses whoever is not in the approver set (403 NOT_AN_APPROVER), takes group members, and a viewer cannot resume a plain Pause', async () => {
    const id = await startPaused('by-group', flow('by-group', 'groups: [change-board]'));
    for (const who of ['outsider', 'alice']) {
      const refused = await approve(who, id, 'me?');
      expect(refused.status, who).toBe(403);
      expect(refused.body.details.reason).toBe('NOT_AN_APPROVER');
      expect(refused.body.message).toContain('groups change-board');
    }
    // Outside the namespace the execution is not even readable.
    expect((await approve('elsewhere', id, 'me?')).status).toBe(403);
    expect((await approve('carol', id, 'as the change board')).status).toBe(200);
    expect((await admin.waitFor(id)).state.current).toBe('SUCCESS');

    const plain = `id: plain-pause\nnamespace: ${NS}\ntasks:\n  - id: wait\n    type: io.kestra.plugin.core.flow.Pause\n`;
    const p = await startPaused('plain-pause', plain);
    const viewer = await approve('outsider', p);
    expect(viewer.status).toBe(403);
    expect(viewer.body.message).toContain('executions.operate');
    expect((await approve('requester', p)).status).toBe(200);
    expect((await admin.waitFor(p)).state.current).toBe('SUCCESS');

    // Rejecting a plain Pause cancels it (Kestra: reject = cancel); the flow never goes on.
    const then = `id: plain-then\nnamespace: ${NS}\ntasks:\n  - id: wait\n    type: io.kestra.plugin.core.flow.Pause\n  - id: after\n    type: io.kestra.plugin.core.log.Log\n    message: ran\n`;
    const q = await startPaused('plain-then', then);
    expect((await reject('outsider', q)).status).toBe(403);
    expect((await reject('requester', q)).status).toBeLessThan(300);
    const rejected = await admin.waitFor(q);
    expect(rejected.state.current).toBe('CANCELLED');
    expect(rejected.taskRunList.map((t: { taskId: string }) => t.taskId)).not.toContain('after');
  });

  it('reject ends the execution CANCELLED with the decision in outputs; a required comment is enforced', async () => {
    const id = await startPaused('rejected', flow('rejected', 'role: APPROVER\ncommentRequired: [REJECT]'));
    const bare = await reject('alice', id);
    expect(bare.status).toBe(400);
    expect(bare.body.message).toContain('comment is required to reject');
    const rejected = await reject('alice', id, 'not during the freeze');
    expect(rejected.status, JSON.stringify(rejected.body)).toBe(200);
    expect(rejected.body).toMatchObject({ decision: 'REJECT', outcome: 'REJECTED', resumed: true });
    const done = await admin.waitFor(id);
    expect(done.state.current).toBe('CANCELLED');
    expect(taskRun(done, 'approve').outputs).toMatchObject({ decision: 'REJECTED', rejectedBy: people.alice.email, comment: 'not during the freeze', approvers: [] });
    expect(done.taskRunList.some((t: any) => t.taskId === 'apply')).toBe(false);
    const audit = await admin.call('GET', `/api/v1/main/auditlogs/search?resource=execution:${id}&action=approval.rejected`);
    expect(audit.body.results[0]).toMatchObject({ actor: people.alice.email, after: { comment: 'not during the freeze', outcome: 'REJECTED' } });
    expect((await reject('bob', id, 'too')).status).toBe(409);

    const commented = await startPaused('comment-always', flow('comment-always', 'role: APPROVER\ncommentRequired: true'));
    const noComment = await approve('alice', commented);
    expect(noComment.status).toBe(400);
    expect(noComment.body.details.reason).toBe('COMMENT_REQUIRED');
    // The comment may also come as a body field when the Pause declares no such input.
    expect((await approve('alice', commented, undefined, { comment: 'fine by me' })).status).toBe(200);
    const done2 = await admin.waitFor(commented);
    expect(taskRun(done2, 'approve').outputs.comment).toBe('fine by me');
  });

  it('on expiry fails, cancels or continues as configured, and never approves', async () => {
    const ids: Record<string, string> = {};
    for (const behavior of ['FAIL', 'CANCEL', 'RESUME']) {
      ids[behavior] = await startPaused(
        `expiry-${behavior.toLowerCase()}`,
        flow(`expiry-${behavior.toLowerCase()}`, 'role: APPROVER', `    pauseDuration: PT1S\n    behavior: ${behavior}\n`),
      );
    }
    const failed = await admin.waitFor(ids.FAIL);
    expect(failed.state.current).toBe('FAILED');
    expect(taskRun(failed, 'approve')).toMatchObject({ outputs: { decision: 'EXPIRED', approvers: [] } });
    expect(taskRun(failed, 'approve').error).toContain('approval expired after PT1S');
    const cancelled = await admin.waitFor(ids.CANCEL);
    expect(cancelled.state.current).toBe('CANCELLED');
    expect(taskRun(cancelled, 'approve').outputs.decision).toBe('EXPIRED');
    const continued = await admin.waitFor(ids.RESUME);
    expect(continued.state.current).toBe('SUCCESS');
    expect(taskRun(continued, 'approve').outputs).toMatchObject({ decision: 'EXPIRED', timedOut: true, approvers: [] });
    expect((await admin.logs(ids.RESUME)).body.map((l: any) => l.message)).toContain('applied: EXPIRED by ');
    expect(taskRun(continued, 'approve').outputs.approval.expiresAt).toBeTruthy();
  });

  it('notifies the approvers with a link: a Slack-compatible webhook and an e-mail through SMTP', async () => {
    const id = await startPaused(
      'notified',
      flow('notified', `users: [${people.alice.email}]\ngroups: [change-board]\ndescription: "Please review {{ outputs.plan.values.diff }}"`),
    );
    const link = `https://baton.test/main/executions/${id}`;
    let received = await notificationsReceived(inject('notificationSinkUrl'));
    for (let i = 0; i < 100 && !received.mails.some((m) => m.text.includes(id)); i++) {
      await new Promise((r) => setTimeout(r, 100));
      received = await notificationsReceived(inject('notificationSinkUrl'));
    }
    const hook = received.webhooks.find((w) => JSON.stringify(w.body).includes(id));
    expect(hook, JSON.stringify(received.webhooks).slice(0, 500)).toBeTruthy();
    const body = hook!.body as any;
    expect(body.text).toContain(`<${link}|`);
    expect(body.blocks.find((b: any) => b.type === 'actions').elements[0].url).toBe(link);
    expect(JSON.stringify(body.blocks)).toContain(`Please review + server-${id.length}`);
    const mail = received.mails.find((m) => m.text.includes(id));
    expect(mail).toBeTruthy();
    expect(mail!.to.sort()).toEqual([people.alice.email, people.carol.email].sort());
    expect(mail!.from).toBe('baton@baton.test');
    expect(mail!.text).toContain(link);
    expect(mail!.text).toContain('Approval needed');
    expect((await approve('alice', id, 'ok')).status).toBe(200);
    await admin.waitFor(id);
  });
});
