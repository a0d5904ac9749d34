// Starting points for a new flow: a blank flow that runs as is, or a plugin's documented example.

export function blankFlow(namespace = 'company.team', id = 'my-flow') {
  return `id: ${id}
namespace: ${namespace}
description: What this flow does, in one line.

inputs:
  - id: name
    type: STRING
    defaults: world

tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: "Hello {{ inputs.name }}"
`;
}

/** Puts the chosen namespace into an example (examples use company.team). */
export function withNamespace(source: string, namespace: string | undefined) {
  if (!namespace) return source;
  return source.replace(/^namespace:.*$/m, `namespace: ${namespace}`);
}
