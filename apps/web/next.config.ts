import path from 'node:path';
import type { NextConfig } from 'next';

const config: NextConfig = {
  // Workspace packages ship TypeScript sources.
  transpilePackages: [
    '@baton/contract',
    '@baton/db',
    '@baton/plugin-catalog',
    '@baton/engine',
    '@baton/flow',
    '@baton/plugin-sdk',
    '@baton/plugin-core',
    '@baton/plugin-argocd',
    '@baton/plugin-cloudflare',
    '@baton/plugin-kvm',
    '@baton/plugin-maas',
    '@baton/plugin-netbox',
    '@baton/plugin-notifications',
    '@baton/plugin-scripts',
  ],
  // Native or Node-only libraries stay outside the server bundle.
  serverExternalPackages: [
    '@node-rs/argon2',
    '@temporalio/client',
    '@temporalio/common',
    '@temporalio/proto',
    '@prisma/client',
    '@prisma/adapter-pg',
    'pg',
    'cloudflare',
    '@aws-sdk/client-s3',
    '@aws-sdk/lib-storage',
  ],
  turbopack: { root: path.resolve(import.meta.dirname, '../..') },
  outputFileTracingRoot: path.resolve(import.meta.dirname, '../..'),
  typescript: { ignoreBuildErrors: true }, // type-checked by `npm run typecheck`, not twice per build
  poweredByHeader: false,
  // The proxy (src/proxy.ts) buffers request bodies up to this size and silently cuts the rest:
  // above BODY_LIMITS.upload (64 MiB), so an oversized upload is refused 413 by the API, never truncated.
  experimental: { proxyClientMaxBodySize: '65mb' },
};

export default config;
