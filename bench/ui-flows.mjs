// Flows the UI benchmark uses. Plain ESM (no build step): bench/ui-bench.ts and the e2e suite
// import it.

/** A 500-task execution: 25 stages, each a Parallel of 4 Sequential branches of 5 Log tasks. */
export function wideFlow({ namespace = 'bench.ui', id = 'graph-500', stages = 25, branches = 4, perBranch = 5 } = {}) {
  const lines = [`id: ${id}`, `namespace: ${namespace}`, 'description: 500 log tasks in parallel stages (UI benchmark)', 'tasks:'];
  for (let s = 0; s < stages; s++) {
    lines.push(`  - id: stage_${s}`, '    type: io.kestra.plugin.core.flow.Parallel', '    tasks:');
    for (let b = 0; b < branches; b++) {
      lines.push(`      - id: s${s}_b${b}`, '        type: io.kestra.plugin.core.flow.Sequential', '        tasks:');
      for (let t = 0; t < perBranch; t++) {
        lines.push(`          - id: s${s}_b${b}_t${t}`, '            type: io.kestra.plugin.core.log.Log', `            message: "stage ${s} branch ${b} step ${t}"`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

/** A flow of about 2,000 lines: 500 Log tasks of 4 lines each. */
export function longFlow({ namespace = 'bench.ui', id = 'editor-2000', tasks = 497 } = {}) {
  const lines = [`id: ${id}`, `namespace: ${namespace}`, 'inputs:', '  - id: name', '    type: STRING', '    defaults: world', 'tasks:'];
  for (let i = 0; i < tasks; i++) {
    lines.push(`  - id: t${i}`, '    type: io.kestra.plugin.core.log.Log', `    message: "hello {{ inputs.name }} ${i}"`, '    level: INFO');
  }
  return `${lines.join('\n')}\n`;
}
