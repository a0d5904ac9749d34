import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findRepoRoot, missingSpecs, specPath } from '../src/paths.js';

describe('spec paths', () => {
  const saved = process.env.BATON_SHARED_DIR;
  afterEach(() => {
    if (saved === undefined) delete process.env.BATON_SHARED_DIR;
    else process.env.BATON_SHARED_DIR = saved;
  });

  it('finds the repo root by turbo.json and the specs beside it', () => {
    delete process.env.BATON_SHARED_DIR;
    const root = findRepoRoot();
    expect(existsSync(path.join(root, 'turbo.json'))).toBe(true);
    expect(specPath('argocd')).toBe(path.resolve(root, '../shared/specs/argocd/argocd-v3.5.1-swagger.json'));
  });

  it('says which specs are missing and how to provide them, or nothing when all are there', () => {
    process.env.BATON_SHARED_DIR = '/nonexistent/shared';
    expect(missingSpecs()).toMatch(/\/nonexistent\/shared\/specs\/argocd\/.*BATON_SHARED_DIR/);
    delete process.env.BATON_SHARED_DIR;
    const present = existsSync(specPath('argocd')) && existsSync(specPath('cloudflare'));
    expect(missingSpecs() === undefined).toBe(present);
  });

  it('lets BATON_SHARED_DIR override the shared folder', () => {
    process.env.BATON_SHARED_DIR = '/elsewhere/shared';
    expect(specPath('cloudflare')).toBe('/elsewhere/shared/specs/cloudflare/cloudflare-api-v4-subset.json');
  });

  it('fails clearly outside a repo', () => {
    expect(() => findRepoRoot('/')).toThrow(/turbo.json/);
  });
});
