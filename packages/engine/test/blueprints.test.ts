// Every file in blueprints/ (the shipped library, whoever added it) must be a flow that validates
// as it is, carry Kestra's `extend:` metadata with a description that says how it works, what it
// needs and which secrets, and the article's two flows must keep the article's tasks unchanged.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { validateFlow } from '@baton/flow';
import { defaultRegistry } from '@baton/plugin-catalog';
import { loadShippedBlueprints, parseBlueprint } from '../src/services/blueprints';

const registry = defaultRegistry();
const root = path.resolve(import.meta.dirname, '../../..');
const folder = path.join(root, 'blueprints');
const files = fs.readdirSync(folder).filter((f) => /\.ya?ml$/.test(f));

describe('shipped blueprints', () => {
  it('the folder holds the library (at least the eight of this issue beside the others)', () => {
    expect(files.length).toBeGreaterThanOrEqual(7);
    expect(fs.readdirSync(folder).filter((f) => !/\.ya?ml$/.test(f))).toEqual([]);
  });

  for (const file of files) {
    describe(file, () => {
      const source = fs.readFileSync(path.join(folder, file), 'utf8');

      it('validates as a flow, unchanged', () => {
        const result = validateFlow(source, { registry });
        expect(result.errors, JSON.stringify(result.errors, null, 2)).toEqual([]);
      });

      it('is named by its flow id and documents itself in extend: (title, tags, how it works, prerequisites, secrets)', () => {
        const blueprint = parseBlueprint(source);
        expect(`${blueprint.flowId}.yaml`).toBe(file);
        expect(blueprint.title.length).toBeGreaterThan(10);
        expect(blueprint.tags.length).toBeGreaterThan(0);
        expect(blueprint.description).toMatch(/## How it works/);
        expect(blueprint.description).toMatch(/## Prerequisites/);
        expect(blueprint.description).toMatch(/## Secrets/);
        // Every secret the flow uses is named in its description.
        for (const [, name] of source.matchAll(/secret\('([A-Z0-9_]+)'\)/g)) expect(blueprint.description, `${file} names secret ${name}`).toContain(name);
      });
    });
  }

  it('loads every file of the folder, with ids unique', () => {
    const loaded = loadShippedBlueprints(folder);
    expect(loaded.map((b) => `${b.id}.yaml`).sort()).toEqual([...files].sort());
  });

  for (const name of ['rollout-with-health-gate-and-edge-update', 'provision-metal-and-register-in-netbox']) {
    it(`${name}: the source article's flow, its inputs and tasks unchanged`, () => {
      const article = parse(fs.readFileSync(path.join(root, 'examples/seed-flows', `${name}.yaml`), 'utf8'));
      const blueprint = parse(fs.readFileSync(path.join(folder, `${name}.yaml`), 'utf8'));
      expect(blueprint.id).toBe(article.id);
      expect(blueprint.namespace).toBe(article.namespace);
      expect(blueprint.inputs).toEqual(article.inputs);
      expect(blueprint.tasks).toEqual(article.tasks);
      for (const d of article.pluginDefaults ?? []) expect(blueprint.pluginDefaults).toContainEqual(d);
    });
  }
});
