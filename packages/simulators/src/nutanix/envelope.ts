import type { SimRequest, SimResponse } from '../kit/router.js';

// Prism Central v4's response shapes: every answer is `{data, metadata, $objectType}` where the
// object type names the namespace and the operation's response model (from the v4 SDKs), and an
// error is the same envelope around an ErrorResponse with AppMessages.

export type Namespace = 'vmm' | 'prism' | 'dataprotection' | 'clustermgmt';

/** `vmm.v4.ahv.config` etc.: where each namespace's response models live. */
const MODULE: Record<string, string> = {
  vmm: 'vmm.v4.ahv.config',
  'vmm-content': 'vmm.v4.content',
  prism: 'prism.v4.config',
  dataprotection: 'dataprotection.v4.config',
  clustermgmt: 'clustermgmt.v4.config',
};

export function objectType(module: keyof typeof MODULE | string, model: string): string {
  return `${MODULE[module] ?? module}.${model}`;
}

function metadata(req: SimRequest, extra: Record<string, unknown> = {}, hasError = false) {
  return {
    $objectType: 'common.v1.response.ApiResponseMetadata',
    flags: [
      { $objectType: 'common.v1.config.Flag', name: 'hasError', value: hasError },
      { $objectType: 'common.v1.config.Flag', name: 'isPaginated', value: 'totalAvailableResults' in extra },
    ],
    links: [{ $objectType: 'common.v1.response.ApiLink', href: `https://prism-central.sim:9440${req.path}`, rel: 'self' }],
    ...extra,
  };
}

export function ok(
  req: SimRequest,
  module: string,
  responseType: string,
  data: unknown,
  options: { status?: number; headers?: Record<string, string>; total?: number } = {},
): SimResponse {
  return {
    status: options.status ?? 200,
    headers: options.headers,
    json: {
      $objectType: objectType(module, responseType),
      data,
      metadata: metadata(req, options.total !== undefined ? { totalAvailableResults: options.total } : {}),
    },
  };
}

/** 202 with a TaskReference: how every asynchronous v4 operation answers. */
export function accepted(req: SimRequest, module: string, responseType: string, taskExtId: string): SimResponse {
  return ok(req, module, responseType, { $objectType: 'prism.v4.config.TaskReference', extId: taskExtId }, { status: 202 });
}

/** The namespace's error code prefix (VMM-, PRISM-, ...). */
function prefix(module: string): string {
  return module.split(/[-.]/)[0].toUpperCase();
}

export function fail(req: SimRequest, module: string, status: number, message: string, code?: string, attributePath?: string): SimResponse {
  const ns = module.split(/[-.]/)[0];
  const error = [
    {
      $objectType: `${ns}.v4.error.AppMessage`,
      code: code ?? `${prefix(module)}-${status === 404 ? '30100' : status === 412 ? '30102' : status === 409 ? '30103' : status >= 500 ? '50000' : '40000'}`,
      message,
      severity: 'ERROR',
      locale: 'en_US',
      errorGroup: status === 404 ? 'ENTITY_NOT_FOUND' : status === 412 ? 'PRECONDITION_FAILED' : status >= 500 ? 'INTERNAL_ERROR' : 'INVALID_INPUT',
      ...(attributePath ? { argumentsMap: { attributePath } } : {}),
    },
  ];
  return {
    status,
    json: {
      $objectType: `${ns}.v4.error.ErrorResponse`,
      data: { $objectType: `${ns}.v4.error.ErrorResponse`, $errorItemDiscriminator: `List<${ns}.v4.error.AppMessage>`, error },
      metadata: metadata(req, {}, true),
    },
  };
}

/** An answer outside any namespace (authentication, unknown paths, injected faults). */
export function plainError(status: number, message: string): SimResponse {
  return {
    status,
    json: {
      $objectType: 'prism.v4.error.ErrorResponse',
      data: {
        $objectType: 'prism.v4.error.ErrorResponse',
        error: [{ $objectType: 'prism.v4.error.AppMessage', code: `PRISM-${status}`, message, severity: 'ERROR', locale: 'en_US' }],
      },
    },
  };
}
