// next-auth's routes (OIDC sign-in: /api/auth/signin/oidc, /api/auth/callback/oidc, csrf,
// providers). Baton's own API is /api/v1/* under [...path]; this more specific folder wins here.
import { handleNextAuth } from '@/server/auth/oidc-sign-in';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export { handleNextAuth as GET, handleNextAuth as POST };
