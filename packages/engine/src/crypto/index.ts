export * from './keyring';
export * from './aes-gcm';
export * from './payload-codec';
