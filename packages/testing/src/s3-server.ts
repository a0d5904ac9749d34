// A real S3-compatible server for tests: s3rver (the S3 REST API over HTTP, objects on disk), on a
// free port of 127.0.0.1, with one bucket. It refuses unknown access key ids but does not verify
// V4 signatures, so a wrong secret goes unnoticed by it.
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

/** s3rver's fixed credentials: any other key is refused (InvalidAccessKeyId). */
export const S3_TEST_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface RunningS3Server {
  /** http://127.0.0.1:PORT */
  endpoint: string;
  bucket: string;
  close(): Promise<void>;
}

interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverClass = new (options: { address: string; port: number; silent: boolean; directory: string; configureBuckets: { name: string }[] }) => S3rverInstance;

export async function startS3Server(bucket = 'baton-test'): Promise<RunningS3Server> {
  // s3rver is CommonJS without types; required here so that only tests load it.
  const S3rver = createRequire(import.meta.url)('s3rver') as S3rverClass;
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
  const address = await server.run();
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    bucket,
    async close() {
      await server.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
