// The credential types are part of the wire contract (@baton/contract: the routes accept them and
// the UI builds its form from them); the engine uses the same table.
export { CREDENTIAL_TYPES, credentialTypeSpec, type CredentialField, type CredentialTypeSpec } from '@baton/contract';
