export * from './keyring';
export * from './aes-gcm';
export * from './payload-codec';
export * from './output-encryption';
export * from './kestra-aes';
