import { ExecutionSchema, LogLineSchema } from '@baton/contract';
import { z } from 'zod';
import { expect, inject } from 'vitest';

/** Headers that sign a request in as the test admin (its API token). */
export function authHeaders(): Record<string, string> {
  return { authorization: `Bearer ${inject('apiToken')}` };
}

/**
 * A thin client over the REST API, for integration tests. It signs in as the test admin unless
 * given other headers (`{}` for an anonymous caller).
 */
export function api(auth: Record<string, string> = authHeaders()) {
  const base = inject('apiUrl');
  const call = async (method: string, path: string, body?: unknown, contentType = 'application/json') => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: body === undefined ? { ...auth } : { ...auth, 'content-type': contentType },
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
    /** Reads an execution; a 200 answer must match the wire contract (every test checks it). */
    execution: async (id: string) => {
      const res = await call('GET', `/api/v1/main/executions/${id}`);
      if (res.status === 200) checkContract(ExecutionSchema, res.body, `GET /executions/${id}`);
      return res;
    },
    logs: async (id: string) => {
      const res = await call('GET', `/api/v1/main/logs/${id}`);
      if (res.status === 200) checkContract(z.array(LogLineSchema), res.body, `GET /logs/${id}`);
      return res;
    },
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
        const res = await call('GET', `/api/v1/main/executions/${id}`);
        last = res.body;
        if (res.status === 200) checkContract(ExecutionSchema, last, `GET /executions/${id}`);
        if (states.includes(last?.state?.current)) return last;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`execution ${id} did not reach ${states.join('|')} in ${timeoutMs} ms; last state ${last?.state?.current}: ${JSON.stringify(last).slice(0, 2000)}`);
    },
  };
}

/** Fails with the path and the reason when an API answer does not match its contract schema. */
export function checkContract<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const result = schema.safeParse(body);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new Error(`${what} does not match the wire contract at ${issue.path.join('.') || '(root)'}: ${issue.message}; got ${JSON.stringify(body).slice(0, 500)}`);
  }
  return result.data;
}

export function taskRun(execution: any, taskId: string) {
  const run = execution.taskRunList.find((t: any) => t.taskId === taskId);
  if (!run) throw new Error(`no task run for ${taskId}; have ${execution.taskRunList.map((t: any) => t.taskId).join(', ')}`);
  return run;
}

/** Rows of every table a request could write: a refused request must leave these unchanged. */
export async function rowCounts(databaseUrl = inject('databaseUrl')): Promise<Record<string, number>> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const tables = ['tenants', 'flows', 'flow_revisions', 'executions', 'secrets'];
    const { rows } = await client.query(`SELECT ${tables.map((t) => `(SELECT count(*) FROM ${t})::int AS ${t}`).join(', ')}`);
    return rows[0] as Record<string, number>;
  } finally {
    await client.end();
  }
}

/**
 * One raw HTTP request with node:http: any method, path bytes as given (no URL normalisation),
 * any headers, and a body that may be sent chunked. Answers as soon as the response ends, even
 * if the server stopped reading the body early.
 */
export async function rawRequest(
  base: string,
  options: { method: string; path: string; headers?: Record<string, string>; body?: string | Buffer; chunks?: { size: number; count: number } },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string; json: any; ms: number }> {
  const http = await import('node:http');
  const url = new URL(base);
  // Requests to the shared test stack sign in as the test admin unless they say otherwise.
  if (base === inject('apiUrl') && !Object.keys(options.headers ?? {}).some((h) => h.toLowerCase() === 'authorization')) {
    options = { ...options, headers: { ...options.headers, ...authHeaders() } };
  }
  const started = Date.now();
  return new Promise((resolve, reject) => {
    // An agent of its own: destroying the connection after the answer can never touch another
    // request's pooled socket. Keep-alive matters: with `Connection: close` a server that answers
    // before reading the whole body (413) closes with unread bytes, and the client sees EPIPE or
    // ECONNRESET instead of the answer; kept alive, the server discards the rest of the body.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const finish = () => setImmediate(() => agent.destroy());
    const req = http.request({ host: url.hostname, port: url.port, method: options.method, path: options.path, headers: options.headers, agent }, (res) => {
      if (String(res.headers['content-type'] ?? '').startsWith('text/event-stream')) {
        // A stream does not end: what counts is that it started.
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: '', json: undefined, ms: Date.now() - started });
        req.destroy();
        finish();
        return;
      }
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        let json: any;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json, ms: Date.now() - started });
        req.destroy();
        finish();
      });
    });
    req.on('error', (error) => {
      finish();
      reject(error);
    });
    if (options.chunks) {
      // Keep writing until the server answers (or everything was sent), like a slow big upload.
      const chunk = Buffer.alloc(options.chunks.size, 'a');
      let sent = 0;
      let answered = false;
      req.on('response', () => {
        answered = true;
      });
      const pump = () => {
        while (!answered && sent < options.chunks!.count) {
          sent++;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        if (!answered) req.end();
      };
      req.on('error', () => {});
      pump();
    } else {
      req.end(options.body);
    }
  });
}
