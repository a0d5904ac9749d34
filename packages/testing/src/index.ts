export * from './api-client';
export * from './temporal-history';
export * from './test-server';
import './context';
export * from './oauth2-server';
export * from './oidc-server';
