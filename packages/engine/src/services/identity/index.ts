// `@baton/engine/identity`: users, sessions, API tokens, passwords, roles and bindings, OIDC accounts.
export * from './roles';
export * from './passwords';
export * from './login-throttle';
export * from './identity-service';
export * from './access-service';
export * from './oidc-accounts';
