// Issue 15: short pieces of a secret cannot be masked (the masker replaces strings of 4+
// characters), and a few slices rebuild the whole secret. A value derived from a secret that is too
// short to mask is refused at render time, with a reason, and nothing of it is written anywhere.
// SECRET inputs get the same treatment as secret(): tainted through filters, slices and
// concatenations, masked in logs, outputs, rendered properties and flow outputs, and (with every
// other payload) encrypted in Temporal history.
import { describe, expect, it } from 'vitest';
import { api, historyText, taskRun } from '@baton/testing';

const client = api();
const SECRET = 's3cr3t-t0ken-value'; // SECRET_TEST_TOKEN of the integration stack
const PASSWORD = 'Pa55 w0rd/Input+X'; // a SECRET input: a space and symbols, so encodings differ

/** Everything the API says about an execution and its Temporal history, as one text. */
async function everywhere(id: string, done: unknown): Promise<string> {
  return JSON.stringify(done) + JSON.stringify((await client.logs(id)).body) + (await historyText(id));
}

describe('pieces of a secret', () => {
  for (const [name, expression, value] of [
    ['a slice', "secret('TEST_TOKEN') | slice(0, 3)", SECRET],
    ['one character', "secret('TEST_TOKEN')[0]", SECRET],
    ['a slice of a SECRET input', 'inputs.password | slice(0, 3)', PASSWORD],
    ['one character of a SECRET input', 'inputs.password[0]', PASSWORD],
  ] as const) {
    it(`refuses ${name} with the reason, leaking nothing`, async () => {
      const id = await client.deployAndRun(
        `
id: secret-${name.replace(/ /g, '-')}
namespace: test.secrets
inputs:
  - id: password
    type: SECRET
tasks:
  - id: leak
    type: io.kestra.plugin.core.log.Log
    message: "piece {{ ${expression} }} end"
`,
        { password: PASSWORD },
      );
      const done = await client.waitFor(id);
      expect(done.state.current).toBe('FAILED');
      expect(taskRun(done, 'leak').error).toMatch(/shorter than 4 characters/);
      const everything = await everywhere(id, done);
      expect(everything).not.toContain(`piece ${value.slice(0, 3)}`);
      expect(everything).not.toContain(`piece ${value[0]} `);
      expect(everything).not.toContain(PASSWORD);
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

  it('masks a SECRET input and everything derived from it in logs, outputs, flow outputs and the API', async () => {
    const id = await client.deployAndRun(
      `
id: secret-input-derived
namespace: test.secrets
inputs:
  - id: password
    type: SECRET
  - id: user
    type: STRING
outputs:
  - id: lowered
    type: STRING
    value: "{{ inputs.password | lower }}"
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message:
      - "upper {{ inputs.password | upper }}"
      - "b64 {{ inputs.password | base64encode }}"
      - "replaced {{ inputs.password | replace({'w0rd': 'W0RD'}) }}"
      - "json {{ inputs.password | json }}"
      - "url {{ inputs.password | urlencode }}"
      - "concat {{ 'pre-' ~ inputs.password ~ '-post' }}"
      - "lines {{ inputs.password | replace({' ': '\\n'}) }}"
      - "user {{ inputs.user }}"
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: ["{{ inputs.password | upper }}"]
    tasks:
      - id: inner
        type: io.kestra.plugin.core.log.Log
        message: "value {{ taskrun.value }}"
  - id: out
    type: io.kestra.plugin.core.output.OutputValues
    values:
      shouted: "{{ inputs.password | upper }}"
      user: "{{ inputs.user }}"
`,
      { password: PASSWORD, user: 'plain-user' },
    );
    const done = await client.waitFor(id);
    expect(done.state.current, JSON.stringify(done)).toBe('SUCCESS');
    const forms = [
      PASSWORD,
      PASSWORD.toUpperCase(),
      PASSWORD.toLowerCase(),
      Buffer.from(PASSWORD).toString('base64'),
      'Pa55 W0RD/Input+X',
      encodeURIComponent(PASSWORD),
      `pre-${PASSWORD}-post`,
      'Pa55\nw0rd',
      'Pa55\\nw0rd',
      'w0rd/Input',
    ];
    const everything = await everywhere(id, done);
    for (const form of forms) expect(everything, form).not.toContain(form);
    const logs = (await client.logs(id)).body.map((l: { message: string }) => l.message);
    expect(logs).toEqual(expect.arrayContaining(['upper ******', 'b64 ******', 'concat ******', 'user plain-user', 'value ******']));
    // Masked, not emptied: plain values beside it still read normally.
    expect(taskRun(done, 'out').outputs.values).toEqual({ shouted: '******', user: 'plain-user' });
    expect(done.outputs).toEqual({ lowered: '******' });
    expect(done.inputs).toEqual({ password: '******', user: 'plain-user' });
    expect(JSON.stringify(taskRun(done, 'log').renderedProperties)).not.toContain('w0rd');
  });

  it("keeps a parent's SECRET input secret in a subflow that declares it a plain STRING", async () => {
    expect(
      (
        await client.deploy(`
id: secret-child
namespace: test.secrets
inputs:
  - id: token
    type: STRING
outputs:
  - id: echoed
    type: STRING
    value: "{{ inputs.token }}"
tasks:
  - id: shout
    type: io.kestra.plugin.core.log.Log
    message: "child {{ inputs.token | upper }}"
`)
      ).status,
    ).toBeLessThan(300);
    const id = await client.deployAndRun(
      `
id: secret-parent
namespace: test.secrets
inputs:
  - id: password
    type: SECRET
tasks:
  - id: call
    type: io.kestra.plugin.core.flow.Subflow
    namespace: test.secrets
    flowId: secret-child
    inputs:
      token: "{{ inputs.password }}"
`,
      { password: PASSWORD },
    );
    const done = await client.waitFor(id);
    expect(done.state.current, JSON.stringify(done)).toBe('SUCCESS');
    const childId = taskRun(done, 'call').outputs.executionId;
    const child = await client.waitFor(childId);
    expect(child.inputs).toEqual({ token: '******' });
    expect(child.outputs).toEqual({ echoed: '******' });
    expect(JSON.stringify((await client.logs(childId)).body)).toContain('child ******');
    for (const text of [await everywhere(id, done), await everywhere(childId, child)]) {
      for (const form of [PASSWORD, PASSWORD.toUpperCase()]) expect(text).not.toContain(form);
    }
  });
});
