// Runs before Next.js matches the /api/[...path] catch-all, whose param decoding answers a
// plain-text 500 for a segment that does not %-decode (vercel/next.js#94278). Such paths are a
// client's mistake: a JSON 400 like every other API error.
import { NextResponse, type NextRequest } from 'next/server';

export function proxy(request: NextRequest) {
  const raw = request.nextUrl.pathname;
  for (const segment of raw.split('/')) {
    try {
      decodeURIComponent(segment);
    } catch {
      const shown = segment.length > 80 ? `${segment.slice(0, 80)}…` : segment;
      return NextResponse.json({ message: `the path segment '${shown}' has a malformed %-escape; encode '%' as %25`, code: 'BAD_REQUEST' }, { status: 400 });
    }
  }
  return NextResponse.next();
}

export const config = { matcher: '/api/:path*' };
