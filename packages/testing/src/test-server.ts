import http from 'node:http';

/**
 * A small HTTP server for integration tests, reached by the worker over loopback: it can fail the
 * first N calls of a path, answer slowly, and records what it received.
 */
export async function startTestServer() {
  const received: { method: string; path: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
  const failures = new Map<string, number>();
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      received.push({ method: req.method ?? 'GET', path: url.pathname, headers: req.headers, body });
      const left = failures.get(url.pathname) ?? 0;
      if (left > 0) {
        failures.set(url.pathname, left - 1);
        res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'try again' }));
        return;
      }
      const seen = received.filter((r) => r.path === url.pathname).length;
      const delay = Number(url.searchParams.get('delayMs') ?? 0) + (seen === 1 ? Number(url.searchParams.get('delayFirstMs') ?? 0) : 0);
      setTimeout(() => {
        if (!res.destroyed) res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, path: url.pathname, delayed: delay }));
      }, delay);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    failNext(path: string, times: number) {
      failures.set(path, times);
    },
    calls(path: string) {
      return received.filter((r) => r.path === path);
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
