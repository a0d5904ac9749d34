// Issue 15: short pieces of a secret cannot be masked (the masker replaces strings of 4+
// characters), and a few slices rebuild the whole secret. A value derived from a secret that is too
// short to mask is refused at render time, with a reason, and nothing of it is written anywhere.
import { describe, expect, it } from 'vitest';
import { api, historyText, taskRun } from '@baton/testing';

const client = api();
const SECRET = 's3cr3t-t0ken-value'; // SECRET_TEST_TOKEN of the integration stack

describe('pieces of a secret', () => {
  for (const [name, expression] of [
    ['a slice', "secret('TEST_TOKEN') | slice(0, 3)"],
    ['one character', "secret('TEST_TOKEN')[0]"],
  ] as const) {
    it(`refuses ${name} with the reason, leaking nothing`, async () => {
      const id = await client.deployAndRun(`
id: secret-${name.replace(/ /g, '-')}
namespace: test.secrets
tasks:
  - id: leak
    type: io.kestra.plugin.core.log.Log
    message: "piece {{ ${expression} }} end"
`);
      const done = await client.waitFor(id);
      expect(done.state.current).toBe('FAILED');
      expect(taskRun(done, 'leak').error).toMatch(/shorter than 4 characters/);
      const everything = JSON.stringify(done) + JSON.stringify((await client.logs(id)).body) + (await historyText(id));
      expect(everything).not.toContain('piece s3c');
      expect(everything).not.toContain(`piece ${SECRET[0]} `);
    });
  }

  it('still renders the whole secret, masked', async () => {
    const id = await client.deployAndRun(`
id: secret-whole
namespace: test.secrets
tasks:
  - id: fine
    type: io.kestra.plugin.core.log.Log
    message: "whole {{ secret('TEST_TOKEN') }}"
`);
    const done = await client.waitFor(id);
    expect(done.state.current).toBe('SUCCESS');
    expect(JSON.stringify((await client.logs(id)).body)).not.toContain(SECRET);
  });
});
