'use client';
import Editor from '@monaco-editor/react';
import { useEffect } from 'react';
import { configureMonacoYaml } from 'monaco-yaml';
import { monaco, monacoForYaml } from '@/modules/editor/lib/monaco';

function tweak(schema: any) {
  const task = schema.$defs.task;
  task.properties = { id: task.properties.id, type: task.properties.type };
  for (const b of task.allOf) { delete b.then.properties.id; delete b.then.properties.type; delete b.then.required; }
  return schema;
}
export default function Spike() {
  useEffect(() => {
    fetch('/api/v1/plugins/schemas/flow').then((r) => r.json()).then((schema) => {
      configureMonacoYaml(monacoForYaml, { validate: false, schemas: [{ uri: 'https://baton.dev/schemas/flow.json', fileMatch: ['*'], schema: tweak(schema) }] });
    });
  }, []);
  return <div style={{ height: 600 }}><Editor language="yaml" path="flow.yaml" defaultValue={'id: x\nnamespace: a.b\ntasks:\n  - id: a\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n'} /></div>;
}
