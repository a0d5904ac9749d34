import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, EnvError, executionLogger } from '@baton/engine';
import { readWorkerEnv } from '../src/env';
import { temporalLogger } from '../src/temporal-logger';

const good = { DATABASE_URL: 'postgresql://localhost/baton', TEMPORAL_ADDRESS: '127.0.0.1:7233' };

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, stream };
}

describe('worker environment', () => {
  it('reads a good environment with its defaults', () => {
    const env = readWorkerEnv({ ...good, BATON_WORKER_GROUPS: 'hv-a, dc2', BATON_LOG_LEVEL: 'WARN' });
    expect(env).toMatchObject({ temporalNamespace: 'default', workerGroups: ['hv-a', 'dc2'], serveDefaultQueue: true, logLevel: 'warn' });
  });

  it('names every bad variable in one error, with how to fix it', () => {
    let error: unknown;
    try {
      readWorkerEnv({ DATABASE_URL: 'mysql://x', BATON_WORKER_DEFAULT_QUEUE: 'yes', BATON_LOG_LEVEL: 'loud', BATON_WORKER_GROUPS: 'a b' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EnvError);
    const problems = (error as EnvError).problems.map((p) => p.variable).sort();
    expect(problems).toEqual(['BATON_LOG_LEVEL', 'BATON_WORKER_DEFAULT_QUEUE', 'BATON_WORKER_GROUPS', 'DATABASE_URL', 'TEMPORAL_ADDRESS']);
    expect((error as Error).message).toMatch(/5 problems/);
    expect((error as Error).message).toMatch(/TEMPORAL_ADDRESS: is not set; run the worker through `npm start`/);
    expect((error as Error).message).toMatch(/DATABASE_URL: must be a postgresql:\/\/ URL/);
  });

  it('treats an empty variable as unset', () => {
    expect(readWorkerEnv({ ...good, TEMPORAL_NAMESPACE: '', BATON_WORKER_DEFAULT_QUEUE: '' })).toMatchObject({ temporalNamespace: 'default', serveDefaultQueue: true });
  });
});

describe('process logs', () => {
  it('writes JSON lines whose execution lines carry the ids as fields', () => {
    const { lines, stream } = capture();
    const log = createLogger('worker', 'info', stream);
    executionLogger(log, { executionId: 'e1', taskRunId: 't1', taskId: 'deploy', attempt: 2 }).warn('could not flush logs');
    log.debug('not written at info');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ name: 'worker', level: 'warn', executionId: 'e1', taskRunId: 't1', taskId: 'deploy', attempt: 2, msg: 'could not flush logs' });
    expect(typeof lines[0]!.time).toBe('string');
  });

  it("writes the Temporal SDK's lines with the workflow id as the execution id, from WARN up", () => {
    const { lines, stream } = capture();
    const sdk = temporalLogger(createLogger('worker', 'debug', stream));
    sdk.info('Activity started', { workflowId: 'e9', activityType: 'runTask' });
    sdk.warn('Activity failed', { workflowId: 'e9', activityType: 'runTask', attempt: 3 });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'warn', source: 'temporal', executionId: 'e9', activityType: 'runTask', attempt: 3, msg: 'Activity failed' });
  });
});
