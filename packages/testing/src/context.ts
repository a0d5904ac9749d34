// What the integration global setup provides to tests (vitest's inject()).
export {};

declare module 'vitest' {
  export interface ProvidedContext {
    apiUrl: string;
    databaseUrl: string;
    temporalAddress: string;
    argocdUrl: string;
    cloudflareUrl: string;
    maasUrl: string;
    netboxUrl: string;
    dataDir: string;
    /** BATON_ENCRYPTION_KEY of the stack (base64). */
    encryptionKey: string;
  }
}
