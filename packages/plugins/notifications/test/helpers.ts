import http from 'node:http';
import { createTaskContext, SecretMasker, type ExecutionSummary, type LogEntry, type TaskContext } from '@baton/plugin-sdk';

export const FAILED_SUMMARY: ExecutionSummary = {
  id: '4Ahf3kQxS9',
  tenant: 'main',
  namespace: 'infra.delivery',
  flowId: 'rollout',
  flowRevision: 3,
  state: 'FAILED',
  current: false,
  startDate: '2026-12-03T10:00:00.000Z',
  endDate: '2026-12-03T10:01:12.000Z',
  durationMs: 72_000,
  duration: '1m 12s',
  labels: { team: 'platform' },
  link: 'https://baton.example.com/main/executions/4Ahf3kQxS9',
  firstFailed: { taskId: 'wait_healthy', taskRunId: 'tr1', error: 'app my-app Degraded after PT5M' },
  lastTask: { taskId: 'wait_healthy', state: 'FAILED' },
  error: 'app my-app Degraded after PT5M',
};

export interface Received {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A local HTTP receiver: records every request; `/status/<code>` answers that code. */
export async function startReceiver() {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      const status = /^\/status\/(\d{3})/.exec(req.url ?? '');
      const code = status ? Number(status[1]) : 200;
      res.writeHead(code, code === 429 ? { 'retry-after': '7' } : {}).end(code === 200 ? 'ok' : `refused with ${code}: invalid_token`);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { url, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** A task context as the worker builds it, with a fixed execution summary and the logs collected. */
export function context<P>(props: P, options: { summary?: ExecutionSummary; secrets?: string[] } = {}) {
  const logs: LogEntry[] = [];
  const masker = new SecretMasker();
  for (const s of options.secrets ?? []) masker.add(s);
  const asked: string[] = [];
  const ctx: TaskContext<P> = createTaskContext({
    props,
    signal: new AbortController().signal,
    masker,
    onLog: (e) => logs.push(e),
    executions: {
      summary: async (id) => {
        asked.push(id);
        return { ...(options.summary ?? FAILED_SUMMARY), id };
      },
    },
    taskRun: { executionId: 'current-exec', namespace: 'infra.delivery', flowId: 'rollout', taskId: 'notify' },
  });
  return { ctx, logs, masker, asked };
}
