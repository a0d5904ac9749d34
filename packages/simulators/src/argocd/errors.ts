import type { SimResponse } from '../kit/router.js';

/**
 * Argo CD's REST API is grpc-gateway: errors are `runtimeError` objects carrying the gRPC code,
 * and the HTTP status is derived from it (runtime.HTTPStatusFromCode).
 */
export const GrpcCode = {
  Unknown: 2,
  InvalidArgument: 3,
  NotFound: 5,
  AlreadyExists: 6,
  PermissionDenied: 7,
  ResourceExhausted: 8,
  FailedPrecondition: 9,
  Unimplemented: 12,
  Internal: 13,
  Unavailable: 14,
  Unauthenticated: 16,
} as const;

const HTTP_STATUS: Record<number, number> = {
  2: 500,
  3: 400,
  5: 404,
  6: 409,
  7: 403,
  8: 429,
  9: 400,
  12: 501,
  13: 500,
  14: 503,
  16: 401,
};

export function argoError(code: number, message: string): SimResponse {
  return { status: HTTP_STATUS[code] ?? 500, json: { error: message, code, message, details: [] } };
}

/** Reverse mapping for injected faults, so a 503 fault still looks like what grpc-gateway sends. */
export function grpcCodeForStatus(status: number): number {
  if (status === 400) return GrpcCode.InvalidArgument;
  if (status === 401) return GrpcCode.Unauthenticated;
  if (status === 403) return GrpcCode.PermissionDenied;
  if (status === 404) return GrpcCode.NotFound;
  if (status === 409) return GrpcCode.AlreadyExists;
  if (status === 429) return GrpcCode.ResourceExhausted;
  if (status === 501) return GrpcCode.Unimplemented;
  if (status === 503 || status === 502 || status === 504) return GrpcCode.Unavailable;
  return status >= 500 ? GrpcCode.Internal : GrpcCode.Unknown;
}

export function appNotFound(name: string): SimResponse {
  return argoError(GrpcCode.NotFound, `applications.argoproj.io "${name}" not found`);
}
