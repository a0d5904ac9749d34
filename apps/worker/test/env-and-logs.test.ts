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

  it('reads the internal storage: the local disk by default, an S3-compatible bucket with BATON_STORAGE=s3', () => {
    expect(readWorkerEnv({ ...good, BATON_DATA_DIR: '/srv/baton' }).storage).toEqual({ kind: 'local', dir: '/srv/baton/storage' });
    expect(readWorkerEnv({ ...good, BATON_STORAGE_DIR: '/mnt/files' }).storage).toEqual({ kind: 'local', dir: '/mnt/files' });
    const s3 = { ...good, BATON_STORAGE: 'S3', BATON_STORAGE_S3_ENDPOINT: 'http://minio:9000/', BATON_STORAGE_S3_BUCKET: 'baton-files', BATON_STORAGE_S3_PREFIX: 'prod' };
    expect(readWorkerEnv({ ...s3, BATON_STORAGE_S3_ACCESS_KEY_ID: 'id', BATON_STORAGE_S3_SECRET_ACCESS_KEY: 'secret' }).storage).toEqual({
      kind: 's3',
      endpoint: 'http://minio:9000',
      bucket: 'baton-files',
      region: 'us-east-1',
      accessKeyId: 'id',
      secretAccessKey: 'secret',
      forcePathStyle: true,
      prefix: 'prod/',
    });
    // AWS S3 itself: no endpoint, virtual-hosted style, the SDK's own credentials.
    expect(readWorkerEnv({ ...good, BATON_STORAGE: 's3', BATON_STORAGE_S3_BUCKET: 'b-1', BATON_STORAGE_S3_REGION: 'eu-west-3' }).storage).toMatchObject({
      endpoint: undefined,
      region: 'eu-west-3',
      forcePathStyle: false,
      accessKeyId: undefined,
    });
  });

  it('names every storage problem at once, never echoing the secret', () => {
    let error: unknown;
    try {
      readWorkerEnv({
        ...good,
        BATON_STORAGE: 'gcs',
        BATON_STORAGE_S3_ENDPOINT: 'minio:9000',
        BATON_STORAGE_S3_PATH_STYLE: 'yes',
        BATON_STORAGE_S3_SECRET_ACCESS_KEY: 'very-secret-value',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EnvError);
    const message = (error as Error).message;
    expect(message).toMatch(/BATON_STORAGE: is not a storage: use local .* or s3/);
    expect(message).toMatch(/BATON_STORAGE_S3_ENDPOINT: is not a URL/);
    expect(message).toMatch(/BATON_STORAGE_S3_PATH_STYLE: must be true or false/);
    expect(message).toMatch(/only BATON_STORAGE_S3_SECRET_ACCESS_KEY is set/);
    expect(message).toMatch(/set but BATON_STORAGE is not s3/);
    expect(message).not.toContain('very-secret-value');
    expect(() => readWorkerEnv({ ...good, BATON_STORAGE: 's3' })).toThrow(/BATON_STORAGE_S3_BUCKET: is not set, and BATON_STORAGE=s3 needs it/);
    expect(() => readWorkerEnv({ ...good, BATON_STORAGE: 's3', BATON_STORAGE_S3_BUCKET: 'Bad_Bucket' })).toThrow(/is not a bucket name/);
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
