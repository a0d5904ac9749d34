import Link from 'next/link';

export const metadata = { title: 'Not found' };

// Outside a tenant's shell (an unknown top-level path): plain, with the way back.
export default function NotFound() {
  return (
    <main style={{ display: 'grid', placeItems: 'center', height: '100vh', padding: 24, textAlign: 'center' }}>
      <div>
        <h1>Nothing here</h1>
        <p className="muted">This address is not a Baton page. Flows, executions and plugins are one click away.</p>
        <p>
          <Link href="/main/flows">Go to the flows</Link>
        </p>
      </div>
    </main>
  );
}
