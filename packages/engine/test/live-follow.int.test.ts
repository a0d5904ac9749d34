// Live execution pages on LISTEN/NOTIFY (issue 7, B9): changes reach followers through PostgreSQL
// notifications, and one read per change serves every follower of an execution.
// Real stack: the executions run on Temporal and the worker; the feeds read the test database.
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ExecutionChangeListener, getDb } from '@baton/db';
import { ExecutionFeeds, ExecutionService, type FeedUpdate } from '@baton/engine';
import { UiQueryService } from '@baton/engine/ui';
import { api } from '@baton/testing';

const client = api();
const listener = new ExecutionChangeListener(inject('databaseUrl'));
const db = getDb(inject('databaseUrl'));
// Only `get` is used by the feeds: no flow service or Temporal client is needed here.
const executions = new ExecutionService(db, undefined as never, () => Promise.reject(new Error('not used')));
// A long safety poll: every read in these tests is caused by a notification.
const feeds = new ExecutionFeeds(new UiQueryService(db), executions, listener, { safetyPollMs: 60_000 });

afterAll(() => listener.close());

const FLOW = `
id: followed
namespace: test.live
tasks:
  - id: one
    type: io.kestra.plugin.core.log.Log
    message: first line
  - id: nap
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT0.3S
  - id: two
    type: io.kestra.plugin.core.log.Log
    message: [second line, third line]
`;

/** Follows an execution with `viewers` subscribers until each saw it end; returns what they saw. */
async function follow(id: string, viewers: number) {
  const seen: { states: string[]; logs: string[] }[] = Array.from({ length: viewers }, () => ({ states: [], logs: [] }));
  const before = feeds.reads;
  const subscriptions = seen.map((record) =>
    feeds.subscribe('main', id, (update: FeedUpdate) => {
      if (record.states[record.states.length - 1] !== update.execution.state.current) record.states.push(update.execution.state.current);
      record.logs.push(...update.logs.map((l: any) => l.message));
    }),
  );
  subscriptions.forEach((s) => s.refresh(0));
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && !seen.every((r) => ['SUCCESS', 'FAILED'].includes(r.states[r.states.length - 1]))) {
    await new Promise((r) => setTimeout(r, 50));
  }
  // One more read for log lines committed with the end.
  subscriptions[0].refresh(0);
  await new Promise((r) => setTimeout(r, 300));
  subscriptions.forEach((s) => s.unsubscribe());
  return { seen, reads: feeds.reads - before };
}

describe('live follow over LISTEN/NOTIFY', () => {
  it('wakes followers on committed changes, and serves 50 followers with the reads of one', async () => {
    await listener.ready();
    expect((await client.deploy(FLOW)).status).toBeLessThan(300);
    const alone = (await client.run('test.live', 'followed')).body.id as string;
    const crowd = (await client.run('test.live', 'followed')).body.id as string;
    const notificationsBefore = listener.notifications;
    const [one, fifty] = await Promise.all([follow(alone, 1), follow(crowd, 50)]);

    expect(listener.notifications).toBeGreaterThan(notificationsBefore);
    for (const viewer of [...one.seen, ...fifty.seen]) {
      expect(viewer.states[viewer.states.length - 1]).toBe('SUCCESS');
      expect(viewer.logs).toEqual(expect.arrayContaining(['first line', 'second line', 'third line']));
    }
    // The crowd costs about what one follower costs: reads follow changes, not viewers.
    expect(fifty.reads).toBeLessThanOrEqual(one.reads * 2 + 3);
    expect(fifty.reads).toBeLessThan(50);
  });

  it('reaches a follower by notification alone (no poll would come within the deadline)', async () => {
    await listener.ready();
    const id = (await client.run('test.live', 'followed')).body.id as string;
    let lastState = '';
    // No refresh(): the only reads come from notifications (the safety poll is 60 s, the wait 30 s).
    const { unsubscribe } = feeds.subscribe('main', id, (update) => {
      lastState = update.execution.state.current;
    });
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && lastState !== 'SUCCESS') await new Promise((r) => setTimeout(r, 20));
    unsubscribe();
    expect(lastState).toBe('SUCCESS');
  });
});
