export * from './types';
export * from './mint';
export * from './store';
export * from './token-cache';
