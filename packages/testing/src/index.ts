export * from './api-client';
export * from './temporal-history';
export * from './test-server';
export * from './notification-sink';
import './context';
export * from './oauth2-server';
export * from './oidc-server';
