// Every /api request lands here and goes through one router, which identifies the caller first
// (src/server/auth/identify.ts) and maps errors to 4xx responses.
import { router } from '@/server/api/routes';
import { withCodecCors } from '@/server/api/temporal-codec';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

const handle = async (request: Request) => withCodecCors(request, await router.dispatch(request));
export { handle as GET, handle as POST, handle as PUT, handle as DELETE, handle as PATCH, handle as OPTIONS };
