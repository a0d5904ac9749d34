// Internal storage in an S3-compatible bucket (AWS S3, MinIO, Ceph RGW, SeaweedFS, ...), for
// installs where the worker and the web app do not share a disk. Objects are keyed like the local
// layout: `{prefix}{tenant}/{namespace path}/{flow}/executions/...`, so moving files between the
// two backends is a copy. S3 has no directories: a "directory" is a key prefix ending in '/'.
import { Readable, Transform } from 'node:stream';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  type ListObjectsCommandOutput,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { AppError } from '../app-error';
import type { FileEntry, FileMeta, FileStorage } from './file-storage';
import { parseStorageUri } from './uris';

export interface S3StorageOptions {
  /** The S3 API's URL (http://minio:9000); unset for AWS S3 itself. */
  endpoint?: string;
  bucket: string;
  region: string;
  /** Unset: the SDK's default chain (AWS_ACCESS_KEY_ID, an instance or pod role, ...). */
  accessKeyId?: string;
  secretAccessKey?: string;
  /** http://host/bucket/key instead of http://bucket.host/key: what MinIO and most local servers need. */
  forcePathStyle: boolean;
  /** A key prefix when the bucket is shared with something else (`baton/`). */
  prefix: string;
  /** Keys per listing page (S3's default and maximum: 1000); smaller in tests of pagination. */
  listPageSize?: number;
}

const TENANT = /^[a-z0-9][a-z0-9_-]*$/i;
/** DeleteObjects takes at most 1000 keys per call. */
const DELETE_BATCH = 1000;
/** Multipart parts: S3's minimum; a streamed upload holds at most `queueSize` parts in memory. */
const PART_SIZE = 5 * 1024 * 1024;

export class S3FileStorage implements FileStorage {
  private readonly client: S3Client;

  constructor(private readonly options: S3StorageOptions) {
    this.client = new S3Client({
      endpoint: options.endpoint,
      region: options.region,
      forcePathStyle: options.forcePathStyle,
      credentials: options.accessKeyId && options.secretAccessKey ? { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey } : undefined,
      // Only the checksums S3 requires: since 3.729 the SDK adds CRC32 trailers (aws-chunked
      // bodies) by default, which many S3-compatible servers do not understand and store verbatim.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      // A dead endpoint is an error after a few tries, not a hang.
      maxAttempts: 3,
    });
  }

  /** The object key of a URI (a prefix for directories), inside the tenant's part of the bucket. */
  keyOf(tenant: string, uri: string, { allowPrefix = false } = {}): string {
    if (!TENANT.test(tenant)) throw new AppError('BAD_REQUEST', `invalid tenant '${tenant.slice(0, 40)}'`);
    // parseStorageUri refuses '..', empty segments and hidden separators, so a key never leaves the tenant.
    const segments = parseStorageUri(allowPrefix ? uri.replace(/\/+$/, '') : uri);
    return `${this.options.prefix}${tenant}/${segments.join('/')}`;
  }

  async put(tenant: string, uri: string, data: Uint8Array | AsyncIterable<Uint8Array>): Promise<number> {
    const Key = this.keyOf(tenant, uri);
    if (data instanceof Uint8Array) {
      await this.call(uri, () => this.client.send(new PutObjectCommand({ Bucket: this.options.bucket, Key, Body: data, ContentLength: data.byteLength })));
      return data.byteLength;
    }
    // A stream of unknown length: multipart upload in 5 MiB parts (one PutObject when it is smaller),
    // counting bytes on the way; S3 only shows the object once the upload completes.
    let size = 0;
    const counted = Readable.from(data).pipe(
      new Transform({
        transform(chunk: Buffer, _encoding, done) {
          size += chunk.length;
          done(null, chunk);
        },
      }),
    );
    const upload = new Upload({ client: this.client, params: { Bucket: this.options.bucket, Key, Body: counted }, partSize: PART_SIZE, queueSize: 2, leavePartsOnError: false });
    await this.call(uri, () => upload.done());
    return size;
  }

  async open(tenant: string, uri: string): Promise<Readable> {
    const Key = this.keyOf(tenant, uri);
    // GetObject answers 404 before any byte: a clear NOT_FOUND before streaming starts.
    const answer = await this.call(uri, () => this.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key })));
    if (!(answer.Body instanceof Readable)) throw new Error(`the S3 client answered ${uri.slice(0, 200)} without a Node stream`);
    return answer.Body;
  }

  async meta(tenant: string, uri: string): Promise<FileMeta> {
    const Key = this.keyOf(tenant, uri);
    const head = await this.call(uri, () => this.client.send(new HeadObjectCommand({ Bucket: this.options.bucket, Key })));
    return { size: head.ContentLength ?? 0, lastModified: head.LastModified ?? new Date(0) };
  }

  async list(tenant: string, dirUri: string): Promise<FileEntry[]> {
    const prefix = `${this.keyOf(tenant, dirUri, { allowPrefix: true })}/`;
    // Every key under the directory, folded into its direct children. Not ListObjectsV2's Delimiter:
    // several S3-compatible servers get common prefixes wrong for nested keys (s3rver, which the
    // tests run against, drops them), and the directories listed here (namespace files) are small.
    const files: FileEntry[] = [];
    const directories = new Map<string, Date>();
    for await (const page of this.pages(dirUri, prefix)) {
      for (const object of page.Contents ?? []) {
        const rest = object.Key!.slice(prefix.length);
        const modified = object.LastModified ?? new Date(0);
        const slash = rest.indexOf('/');
        if (slash === -1) {
          if (rest) files.push({ name: rest, type: 'File', size: object.Size ?? 0, lastModified: modified, created: modified });
        } else if (slash > 0) {
          // S3 has no directories: a directory's date is its newest file's.
          const name = rest.slice(0, slash);
          const seen = directories.get(name);
          if (!seen || seen < modified) directories.set(name, modified);
        }
      }
    }
    const entries = [...files, ...[...directories].map(([name, date]): FileEntry => ({ name, type: 'Directory', size: 0, lastModified: date, created: date }))];
    // A directory exists while something is in it (as on disk, where an empty one is deleted with its last file).
    if (!entries.length) throw new AppError('NOT_FOUND', `no directory ${dirUri.slice(0, 300)}`);
    return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async deletePrefix(tenant: string, prefixUri: string): Promise<number> {
    const key = this.keyOf(tenant, prefixUri, { allowPrefix: true });
    // The URI may name one file (a namespace file) or a directory: the key itself and everything under key/.
    const keys: string[] = [];
    const exact = await this.meta(tenant, prefixUri.replace(/\/+$/, '')).then(
      () => true,
      () => false,
    );
    if (exact) keys.push(key);
    for await (const page of this.pages(prefixUri, `${key}/`)) for (const object of page.Contents ?? []) keys.push(object.Key!);
    for (let i = 0; i < keys.length; i += DELETE_BATCH) {
      const batch = keys.slice(i, i + DELETE_BATCH);
      const answer = await this.call(prefixUri, () =>
        this.client.send(new DeleteObjectsCommand({ Bucket: this.options.bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } })),
      );
      if (answer.Errors?.length) {
        const first = answer.Errors[0];
        throw new AppError(
          'UNAVAILABLE',
          `S3 storage did not delete ${answer.Errors.length} file(s) under ${prefixUri.slice(0, 200)}: ${first.Key}: ${first.Code} ${first.Message ?? ''}`.trim(),
        );
      }
    }
    return keys.length;
  }

  /**
   * Every page of a listing (1000 keys each). ListObjects (v1) with the last key as the marker:
   * every S3-compatible server has it, while v2's continuation tokens are opaque to us and broken
   * on some servers (s3rver encrypts them with DES, which Node 17+ no longer offers).
   */
  private async *pages(uri: string, Prefix: string): AsyncGenerator<ListObjectsCommandOutput> {
    let Marker: string | undefined;
    for (;;) {
      const page = await this.call(uri, () => this.client.send(new ListObjectsCommand({ Bucket: this.options.bucket, Prefix, Marker, MaxKeys: this.options.listPageSize })));
      yield page;
      const last = page.Contents?.at(-1)?.Key;
      if (!page.IsTruncated || !last) return;
      Marker = page.NextMarker ?? last;
    }
  }

  /** One S3 call, its failures said in terms of the configuration to fix (BATON_STORAGE_S3_*). */
  private async call<T>(uri: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw explainS3Error(error, uri, this.options);
    }
  }
}

/** An S3 failure as an AppError that names what to fix; a missing object is NOT_FOUND. */
export function explainS3Error(error: unknown, uri: string, options: Pick<S3StorageOptions, 'bucket' | 'endpoint'>): Error {
  const where = `bucket '${options.bucket}'${options.endpoint ? ` at ${options.endpoint}` : ''}`;
  if (error instanceof S3ServiceException) {
    const status = error.$metadata.httpStatusCode;
    switch (error.name) {
      case 'NoSuchKey':
      case 'NotFound':
        return new AppError('NOT_FOUND', `no file ${uri.slice(0, 300)}`);
      case 'NoSuchBucket':
        return new AppError('UNAVAILABLE', `S3 storage: the ${where} does not exist; create it or fix BATON_STORAGE_S3_BUCKET`);
      case 'InvalidAccessKeyId':
      case 'SignatureDoesNotMatch':
      case 'AccessDenied':
      case 'Forbidden':
        return new AppError(
          'UNAVAILABLE',
          `S3 storage refused the credentials for ${where} (${error.name}); check BATON_STORAGE_S3_ACCESS_KEY_ID and BATON_STORAGE_S3_SECRET_ACCESS_KEY, and the key's rights on the bucket`,
        );
    }
    // HeadObject answers a bare 404/403 without a code.
    if (status === 404) return new AppError('NOT_FOUND', `no file ${uri.slice(0, 300)}`);
    if (status === 403) return new AppError('UNAVAILABLE', `S3 storage refused access to ${where} (403); check the credentials and the key's rights on the bucket`);
    return new AppError('UNAVAILABLE', `S3 storage (${where}) answered ${status ?? ''} ${error.name}: ${error.message}`.replace(/\s+/g, ' '));
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code && /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|ETIMEDOUT|EHOSTUNREACH)$/.test(code)) {
    return new AppError('UNAVAILABLE', `S3 storage cannot be reached at ${options.endpoint ?? 'AWS S3'} (${code}); check BATON_STORAGE_S3_ENDPOINT and that the server is up`);
  }
  if (error instanceof AppError) return error;
  return error instanceof Error ? error : new Error(String(error));
}
