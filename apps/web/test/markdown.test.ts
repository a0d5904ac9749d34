import fs from 'node:fs';
import path from 'node:path';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Markdown } from '../src/components/markdown';
import { systemsOf } from '../src/modules/blueprints/components/blueprints-page';

const html = (text: string) => renderToStaticMarkup(createElement(Markdown, { text }));

describe('Markdown (plugin, approval and blueprint descriptions)', () => {
  it('renders a heading followed by a numbered list whose items wrap over indented lines', () => {
    expect(html('## How it works\n1. `sync` syncs\n   and waits.\n2. **gate** checks')).toBe(
      '<div><h4>How it works</h4><ol><li><code>sync</code> syncs and waits.</li><li><strong>gate</strong> checks</li></ol></div>',
    );
  });

  it('renders emphasis that wraps over a line break in a paragraph', () => {
    expect(html('through a **canary\nrecord**, and')).toBe('<div><p>through a <strong>canary record</strong>, and</p></div>');
  });

  it('renders a table with its header row', () => {
    expect(html('| secret | what |\n|---|---|\n| `TOKEN` | the token |')).toBe(
      '<div><table><thead><tr><th>secret</th><th>what</th></tr></thead><tbody><tr><td><code>TOKEN</code></td><td>the token</td></tr></tbody></table></div>',
    );
  });

  it('keeps bullets, paragraphs and code blocks as before, and never passes HTML through', () => {
    expect(html('- a\n- b\n\nplain <b>text</b>\n\n```\ncurl x\n```')).toBe(
      '<div><ul><li>a</li><li>b</li></ul><p>plain &lt;b&gt;text&lt;/b&gt;</p><pre><code>curl x\n</code></pre></div>',
    );
  });

  it('renders every shipped blueprint description with its steps and its secrets table', () => {
    const folder = path.resolve(import.meta.dirname, '../../../blueprints');
    for (const file of fs.readdirSync(folder).filter((f) => f.endsWith('.yaml'))) {
      const { extend } = parse(fs.readFileSync(path.join(folder, file), 'utf8'));
      const out = html(extend.description);
      expect(out, file).toContain('<h4>How it works</h4>');
      expect(out, file).toMatch(/<(ol|ul)>/);
    }
  });
});

describe('systemsOf', () => {
  it('names the systems a blueprint touches from its task types, core left out', () => {
    expect(
      systemsOf([
        'io.kestra.plugin.argocd.apps.Sync',
        'io.kestra.plugin.core.log.Log',
        'io.kestra.plugin.ee.canonical.maas.ListMachines',
        'io.kestra.plugin.ee.netbox.CreateDevice',
      ]),
    ).toEqual(['argocd', 'maas', 'netbox']);
  });
});
