// The credential types, as data: each field says whether it is secret (sealed at rest, write-only
// through the API) and what it holds. The API validates against this table and the UI builds its
// create/rotate form from it, so a new type is one entry here plus its minting in mint.ts.
// Part of the wire contract (what the credential routes accept), so the browser bundle reads it too.

export interface CredentialField {
  name: string;
  label: string;
  /** Sealed at rest and never returned by the API. */
  secret: boolean;
  required: boolean;
  /** A multi-line value (PEM). */
  multiline?: boolean;
  /** Comma-separated list (scopes). */
  list?: boolean;
  help: string;
}

export interface CredentialTypeSpec {
  type: string;
  title: string;
  /** What `{{ credential('name') }}` renders to. */
  renders: string;
  /** Minted from a token endpoint (cached until shortly before expiry); otherwise static. */
  minted: boolean;
  fields: CredentialField[];
}

const tokenUrl: CredentialField = {
  name: 'tokenUrl',
  label: 'Token URL',
  secret: false,
  required: true,
  help: 'The OAuth2 token endpoint, e.g. https://idp.example.com/oauth2/token',
};
const scopes: CredentialField = { name: 'scopes', label: 'Scopes', secret: false, required: false, list: true, help: 'Space- or comma-separated scopes to request' };
const audience: CredentialField = { name: 'audience', label: 'Audience', secret: false, required: false, help: 'Sent as `audience` (Auth0, Okta) when set' };
const caBundle: CredentialField = {
  name: 'caBundle',
  label: 'CA bundle (PEM)',
  secret: false,
  required: false,
  multiline: true,
  help: 'Extra trusted CA certificates for the token endpoint or the server (a private PKI)',
};

export const CREDENTIAL_TYPES: CredentialTypeSpec[] = [
  {
    type: 'oauth2_client_credentials',
    title: 'OAuth2 client credentials',
    renders: 'the access token',
    minted: true,
    fields: [
      tokenUrl,
      { name: 'clientId', label: 'Client id', secret: false, required: true, help: 'The client (application) id' },
      { name: 'clientSecret', label: 'Client secret', secret: true, required: true, help: 'Sent with HTTP Basic (client_secret_basic) unless “Client authentication” says body' },
      scopes,
      audience,
      {
        name: 'clientAuth',
        label: 'Client authentication',
        secret: false,
        required: false,
        help: '`basic` (default, RFC 6749 §2.3.1) or `body` (client_id and client_secret in the form)',
      },
      caBundle,
    ],
  },
  {
    type: 'jwt_bearer',
    title: 'JWT bearer (RFC 7523)',
    renders: 'the access token',
    minted: true,
    fields: [
      tokenUrl,
      { name: 'issuer', label: 'Issuer (iss)', secret: false, required: true, help: 'Usually the client id or the service account' },
      { name: 'subject', label: 'Subject (sub)', secret: false, required: false, help: 'Defaults to the issuer' },
      { name: 'jwtAudience', label: 'Assertion audience (aud)', secret: false, required: false, help: 'Defaults to the token URL' },
      { name: 'keyId', label: 'Key id (kid)', secret: false, required: false, help: 'Put in the JWT header when set' },
      { name: 'algorithm', label: 'Algorithm', secret: false, required: false, help: 'RS256 (default), ES256 or HS256' },
      { name: 'signingKey', label: 'Signing key (PEM, or the HMAC secret)', secret: true, required: true, multiline: true, help: 'A PKCS#8 or PKCS#1 private key for RS256/ES256' },
      scopes,
      audience,
      caBundle,
    ],
  },
  {
    type: 'bearer',
    title: 'Static bearer token',
    renders: 'the token',
    minted: false,
    fields: [{ name: 'token', label: 'Token', secret: true, required: true, help: 'Sent as Authorization: Bearer <token>' }],
  },
  {
    type: 'basic',
    title: 'Basic auth',
    renders: 'base64(username:password), what follows `Basic ` in an Authorization header',
    minted: false,
    fields: [
      { name: 'username', label: 'Username', secret: false, required: true, help: '' },
      { name: 'password', label: 'Password', secret: true, required: true, help: '' },
    ],
  },
  {
    type: 'api_key',
    title: 'API key header',
    renders: 'the key',
    minted: false,
    fields: [
      { name: 'headerName', label: 'Header name', secret: false, required: false, help: 'Defaults to X-API-Key' },
      { name: 'apiKey', label: 'API key', secret: true, required: true, help: '' },
    ],
  },
  {
    type: 'ssh_private_key',
    title: 'SSH private key',
    renders: 'the private key (PEM / OpenSSH)',
    minted: false,
    fields: [
      { name: 'username', label: 'Username', secret: false, required: false, help: 'The remote user, for tasks that need one' },
      { name: 'privateKey', label: 'Private key', secret: true, required: true, multiline: true, help: 'PEM or OpenSSH format' },
      { name: 'passphrase', label: 'Passphrase', secret: true, required: false, help: 'When the key is encrypted' },
    ],
  },
  {
    type: 'tls_client_certificate',
    title: 'TLS client certificate',
    renders: 'the certificate followed by its private key (one PEM bundle, as curl --cert takes)',
    minted: false,
    fields: [
      { name: 'certificate', label: 'Certificate (PEM)', secret: false, required: true, multiline: true, help: 'The client certificate, with its chain' },
      { name: 'privateKey', label: 'Private key (PEM)', secret: true, required: true, multiline: true, help: '' },
      { ...caBundle, help: 'The trust store: CA certificates the server’s certificate must chain to' },
    ],
  },
  {
    type: 'maas_api_key',
    title: 'MAAS API key',
    renders: 'the key, consumer:token:secret',
    minted: false,
    fields: [{ name: 'apiKey', label: 'API key', secret: true, required: true, help: 'consumer_key:token_key:token_secret, as `maas apikey` prints it' }],
  },
];

export function credentialTypeSpec(type: string): CredentialTypeSpec | undefined {
  return CREDENTIAL_TYPES.find((t) => t.type === type);
}
