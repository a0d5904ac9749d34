import { expect, inject } from 'vitest';

/** A thin client over the REST API, for integration tests. */
export function api() {
  const base = inject('apiUrl');
  const call = async (method: string, path: string, body?: unknown, contentType = 'application/json') => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': contentType },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = text;
    }
    return { status: res.status, body: json };
  };
  return {
    base,
    call,
    deploy: (yaml: string) => call('POST', '/api/v1/main/flows', yaml, 'application/x-yaml'),
    run: (namespace: string, flowId: string, inputs: Record<string, unknown> = {}) => call('POST', `/api/v1/main/executions/${namespace}/${flowId}`, inputs),
    execution: (id: string) => call('GET', `/api/v1/main/executions/${id}`),
    logs: (id: string) => call('GET', `/api/v1/main/logs/${id}`),
    resume: (id: string, inputs: Record<string, unknown> = {}) => call('POST', `/api/v1/main/executions/${id}/resume`, inputs),
    kill: (id: string) => call('DELETE', `/api/v1/main/executions/${id}/kill`),
    /** Deploys a flow and starts it, asserting both worked; returns the execution id. */
    async deployAndRun(yaml: string, inputs: Record<string, unknown> = {}): Promise<string> {
      const deployed = await call('POST', '/api/v1/main/flows', yaml, 'application/x-yaml');
      expect(deployed.status, JSON.stringify(deployed.body)).toBeLessThan(300);
      const started = await call('POST', `/api/v1/main/executions/${deployed.body.namespace}/${deployed.body.id}`, inputs);
      expect(started.status, JSON.stringify(started.body)).toBe(200);
      return started.body.id as string;
    },
    /** Polls until the execution is in one of `states`. */
    async waitFor(id: string, states: string[] = ['SUCCESS', 'WARNING', 'FAILED', 'KILLED', 'CANCELLED'], timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      let last: any;
      while (Date.now() < deadline) {
        last = (await call('GET', `/api/v1/main/executions/${id}`)).body;
        if (states.includes(last?.state?.current)) return last;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`execution ${id} did not reach ${states.join('|')} in ${timeoutMs} ms; last state ${last?.state?.current}: ${JSON.stringify(last).slice(0, 2000)}`);
    },
  };
}

export function taskRun(execution: any, taskId: string) {
  const run = execution.taskRunList.find((t: any) => t.taskId === taskId);
  if (!run) throw new Error(`no task run for ${taskId}; have ${execution.taskRunList.map((t: any) => t.taskId).join(', ')}`);
  return run;
}
