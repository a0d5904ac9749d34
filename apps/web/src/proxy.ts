// Pages need a signed-in person: a page request without a session cookie goes to the sign-in page,
// which comes back here afterwards. Only the cookie's presence is checked here (no database in the
// proxy); an expired session is caught by the first API call's 401 (modules/api/client.ts).
// The API checks every request itself (server/auth/identify.ts), so it is not matched here.
import { NextResponse, type NextRequest } from 'next/server';
import { webEnv } from './server/env';

const SESSION_COOKIE = 'baton_session';

export function proxy(request: NextRequest) {
  if (webEnv().authMode === 'none' || request.cookies.has(SESSION_COOKIE)) return NextResponse.next();
  const { pathname, search } = request.nextUrl;
  const target = new URL('/signin', request.url);
  if (pathname !== '/') target.searchParams.set('next', pathname + search);
  return NextResponse.redirect(target);
}

export const config = {
  // Everything but the API, Next's assets, the icon, and the pages that must open signed out.
  matcher: ['/((?!api/|_next/|icon\\.svg|favicon\\.ico|signin|setup).*)'],
};
