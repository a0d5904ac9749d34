export * from './context';
export * from './create-context';
export * from './define-plugin';
export * from './duration';
export * from './errors';
export * from './http';
export * from './masking';
export * from './registry';
export { z } from 'zod';
