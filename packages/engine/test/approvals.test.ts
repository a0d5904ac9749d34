// The pure parts of approvals: the rendered `approval` property as a request, the outputs a
// decision leaves, and Approvals.checkDecider (who may decide, and why not).
import { describe, expect, it } from 'vitest';
import { AppError } from '../src/services/app-error';
import { Approvals, type Decider } from '../src/services/approvals';
import { approvalOutputs, toApprovalRequest } from '../src/workflow/approval';

const decider = (over: Partial<Decider> = {}): Decider => ({ id: 'ann@example.com', userId: 'u-ann', instanceAdmin: false, grants: [], groups: [], ...over });

function refusal(fn: () => void): { status: number; reason?: string; message: string } | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    const e = error as AppError;
    return { status: e.status, reason: (e.details as { reason?: string } | undefined)?.reason, message: e.message };
  }
}

describe('toApprovalRequest', () => {
  it('fills defaults: one approval, no self-approval, no comment required', () => {
    expect(toApprovalRequest({ role: 'approver' })).toEqual({ users: [], groups: [], role: 'APPROVER', required: 1, allowSelfApproval: false, commentRequired: [] });
  });

  it('reads every property, with commentRequired as true or a list', () => {
    const r = toApprovalRequest(
      { users: ['a@x'], groups: 'ops', required: '2', allowSelfApproval: 'true', commentRequired: true, description: '## Plan' },
      '2026-01-01T00:00:00.000Z',
    );
    expect(r).toEqual({
      description: '## Plan',
      users: ['a@x'],
      groups: ['ops'],
      required: 2,
      allowSelfApproval: true,
      commentRequired: ['APPROVE', 'REJECT'],
      expiresAt: '2026-01-01T00:00:00.000Z',
    });
    expect(toApprovalRequest({ commentRequired: ['reject'] }).commentRequired).toEqual(['REJECT']);
  });

  it('refuses malformed values, naming the property', () => {
    expect(() => toApprovalRequest({ required: 0 })).toThrow(/approval.required/);
    expect(() => toApprovalRequest({ required: 11 })).toThrow(/approval.required/);
    expect(() => toApprovalRequest({ users: [1] })).toThrow(/approval.users/);
    expect(() => toApprovalRequest({ commentRequired: ['MAYBE'] })).toThrow(/commentRequired/);
    expect(() => toApprovalRequest('yes')).toThrow(/approval is a map/);
  });
});

describe('approvalOutputs', () => {
  const request = toApprovalRequest({ required: 2 });
  it('an expiry is EXPIRED with no approvers, never approved', () => {
    expect(approvalOutputs(request, undefined)).toMatchObject({ decision: 'EXPIRED', approvers: [], decisions: [] });
  });
  it('names the approvers, the deciding comment and who rejected', () => {
    const decisions = [
      { by: 'a', decision: 'APPROVE' as const, comment: 'one', at: '1' },
      { by: 'b', decision: 'REJECT' as const, comment: 'no', at: '2' },
    ];
    expect(approvalOutputs(request, { decision: 'REJECTED', decisions })).toMatchObject({ decision: 'REJECTED', approvers: ['a'], rejectedBy: 'b', comment: 'no' });
    const approved = approvalOutputs(request, { decision: 'APPROVED', decisions: [decisions[0], { by: 'c', decision: 'APPROVE', comment: 'two', at: '3' }] });
    expect(approved).toMatchObject({ decision: 'APPROVED', approvers: ['a', 'c'], comment: 'two' });
  });
});

describe('Approvals.checkDecider', () => {
  const base = { namespace: 'team.a', startedBy: 'starter@example.com', decisions: [], decision: 'APPROVE' as const, comment: 'ok' };

  it('with no approver set, takes approvals.decide at the namespace (APPROVER, ADMIN, the instance admin)', () => {
    const request = toApprovalRequest({});
    expect(refusal(() => Approvals.checkDecider({ ...base, request, decider: decider({ grants: [{ role: 'APPROVER', namespace: 'team' }] }) }))).toBeUndefined();
    expect(refusal(() => Approvals.checkDecider({ ...base, request, decider: decider({ instanceAdmin: true }) }))).toBeUndefined();
    expect(refusal(() => Approvals.checkDecider({ ...base, request, decider: decider({ grants: [{ role: 'OPERATOR', namespace: '' }] }) }))).toMatchObject({
      status: 403,
      reason: 'NOT_AN_APPROVER',
    });
    expect(refusal(() => Approvals.checkDecider({ ...base, request, decider: decider({ grants: [{ role: 'APPROVER', namespace: 'team.b' }] }) }))?.reason).toBe('NOT_AN_APPROVER');
  });

  it('takes listed users (e-mail, any case, or id), members of listed groups, and holders of the role at the namespace', () => {
    expect(refusal(() => Approvals.checkDecider({ ...base, request: toApprovalRequest({ users: ['ANN@example.com'] }), decider: decider() }))).toBeUndefined();
    expect(refusal(() => Approvals.checkDecider({ ...base, request: toApprovalRequest({ users: ['u-ann'] }), decider: decider() }))).toBeUndefined();
    expect(refusal(() => Approvals.checkDecider({ ...base, request: toApprovalRequest({ groups: ['cab'] }), decider: decider({ groups: ['cab'] }) }))).toBeUndefined();
    const byRole = toApprovalRequest({ role: 'EDITOR' });
    expect(refusal(() => Approvals.checkDecider({ ...base, request: byRole, decider: decider({ grants: [{ role: 'EDITOR', namespace: 'team.a' }] }) }))).toBeUndefined();
    // An explicit set is the whole set: the APPROVER role alone does not count.
    const refused = refusal(() => Approvals.checkDecider({ ...base, request: byRole, decider: decider({ grants: [{ role: 'APPROVER', namespace: '' }] }) }));
    expect(refused).toMatchObject({ status: 403, reason: 'NOT_AN_APPROVER' });
    expect(refused?.message).toContain('role EDITOR');
  });

  it('refuses self-approval unless allowed; the requester may still reject', () => {
    const request = toApprovalRequest({ users: ['starter@example.com'] });
    const self = decider({ id: 'starter@example.com', userId: 'u-s' });
    expect(refusal(() => Approvals.checkDecider({ ...base, request, decider: self }))).toMatchObject({ status: 403, reason: 'SELF_APPROVAL' });
    expect(refusal(() => Approvals.checkDecider({ ...base, request, decider: self, decision: 'REJECT' }))).toBeUndefined();
    expect(refusal(() => Approvals.checkDecider({ ...base, request: { ...request, allowSelfApproval: true }, decider: self }))).toBeUndefined();
  });

  it('refuses a second decision by the same person, and a missing required comment', () => {
    const request = toApprovalRequest({ users: ['ann@example.com'], required: 2, commentRequired: ['REJECT'] });
    const decisions = [{ by: 'ann@example.com', decision: 'APPROVE' as const, at: 'x' }];
    expect(refusal(() => Approvals.checkDecider({ ...base, request, decider: decider(), decisions }))).toMatchObject({ status: 403, reason: 'ALREADY_DECIDED' });
    expect(refusal(() => Approvals.checkDecider({ ...base, request, decider: decider(), decision: 'REJECT', comment: '  ' }))).toMatchObject({
      status: 400,
      reason: 'COMMENT_REQUIRED',
    });
    expect(refusal(() => Approvals.checkDecider({ ...base, request, decider: decider(), comment: undefined }))).toBeUndefined();
  });
});
