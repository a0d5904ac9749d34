// What the integration global setup provides to tests (vitest's inject()).
export {};

declare module 'vitest' {
  export interface ProvidedContext {
    apiUrl: string;
    /** An API token of the test admin (the api() client sends it). */
    apiToken: string;
    adminEmail: string;
    adminPassword: string;
    databaseUrl: string;
    temporalAddress: string;
    argocdUrl: string;
    cloudflareUrl: string;
    maasUrl: string;
    nutanixUrl: string;
    netboxUrl: string;
    dataDir: string;
    /** BATON_STORAGE* (and BATON_DATA_DIR) of the stack's worker and web app: local disk, or s3rver with BATON_TEST_STORAGE=s3. */
    storageEnv: Record<string, string>;
    /** BATON_ENCRYPTION_KEY of the stack (base64). */
    encryptionKey: string;
    /** The approval notification receiver (webhook and SMTP); GET <url>/received. */
    notificationSinkUrl: string;
    /** The stack's worker (its process group leader): a test that stops it must start a replacement. */
    workerPid: number;
  }
}
