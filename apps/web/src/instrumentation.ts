// Next.js calls register() once when the server starts (https://nextjs.org/docs/app/guides/instrumentation).
export async function register() {
  // Only in the Node.js server, and not while `next build` collects pages (no configuration then).
  // Next sets these two variables itself; the app's own configuration is read in server/env.ts.
  if (process.env.NEXT_RUNTIME !== 'nodejs' || process.env.NEXT_PHASE === 'phase-production-build') return;
  const { checkStartup } = await import('./server/startup-checks');
  checkStartup();
}
