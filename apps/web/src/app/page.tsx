import { services } from '@/server/services';

export const dynamic = 'force-dynamic';

// The first page: what is deployed and what ran last. The full UI (editor, graph) builds on the
// same API.
export default async function Home() {
  const { flows, executions } = services();
  const [flowPage, executionPage] = await Promise.all([
    flows.search('main', { size: 50 }),
    executions.search('main', { size: 20 }),
  ]);
  return (
    <main>
      <h1>Baton</h1>
      <p className="muted">Flows run durably on Temporal. REST API under <code>/api/v1/main</code>; plugin docs at <a href="/api/v1/plugins">/api/v1/plugins</a>.</p>
      <h2>Flows ({flowPage.total})</h2>
      {flowPage.results.length === 0 ? (
        <div className="empty">No flows yet. Deploy one: <code>npx baton flow deploy ./flows</code> or <code>curl -X POST -H &apos;Content-Type: application/x-yaml&apos; --data-binary @flow.yaml localhost:3000/api/v1/main/flows</code></div>
      ) : (
        <table>
          <thead><tr><th>Namespace</th><th>Flow</th><th>Revision</th><th>Description</th></tr></thead>
          <tbody>
            {flowPage.results.map((f) => (
              <tr key={`${f.namespace}.${f.id}`}><td>{f.namespace}</td><td><code>{f.id}</code></td><td>{f.revision}</td><td>{f.description}</td></tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Recent executions</h2>
      {executionPage.results.length === 0 ? (
        <div className="empty">Nothing has run yet. Start one: <code>npx baton run &lt;namespace&gt; &lt;flowId&gt; --wait</code></div>
      ) : (
        <table>
          <thead><tr><th>Execution</th><th>Flow</th><th>State</th><th>Started</th><th>Duration</th></tr></thead>
          <tbody>
            {executionPage.results.map((e) => (
              <tr key={e.id}>
                <td><a href={`/api/v1/main/executions/${e.id}`}><code>{e.id}</code></a></td>
                <td>{e.namespace}.{e.flowId}</td>
                <td><span className={`state state-${e.state.current}`}>{e.state.current}</span></td>
                <td>{e.state.startDate?.replace('T', ' ').slice(0, 19)}</td>
                <td>{e.state.duration !== undefined ? `${(e.state.duration / 1000).toFixed(1)} s` : '…'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
