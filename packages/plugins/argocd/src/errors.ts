import { PluginError, parseRetryAfter, type HttpResponse } from '@baton/plugin-sdk';

/** What a request was about, so errors can say "application 'my-app' not found on … (project x)". */
export interface Subject {
  application?: string;
  project?: string;
}

export function describeSubject(subject: Subject | undefined): string {
  if (!subject?.application) return '';
  return `application '${subject.application}'`;
}

function projectNote(subject: Subject | undefined): string {
  return subject?.project ? ` (project ${subject.project})` : '';
}

/** Argo CD answers grpc-gateway errors: `{error, code, message, details}`. */
export function remoteMessage(response: HttpResponse): string {
  const body = response.body as { message?: unknown; error?: unknown } | string | null;
  if (body && typeof body === 'object') {
    const message = typeof body.message === 'string' && body.message ? body.message : typeof body.error === 'string' ? body.error : '';
    if (message) return message;
  }
  const text = (response.text ?? '').trim();
  return text ? text.slice(0, 300) : 'no message';
}

/**
 * Maps an Argo CD HTTP error to a PluginError that says what and where, and whether a retry
 * can help. Messages never include credentials (the URL is the server origin and path only).
 */
export function argoHttpError(response: HttpResponse, where: string, server: string, subject?: Subject): PluginError {
  const status = response.status;
  const message = remoteMessage(response);
  const app = describeSubject(subject);
  const details = { status, where, server, ...(subject?.application ? { application: subject.application } : {}) };
  if (status === 401) {
    return new PluginError('AUTHENTICATION', `Argo CD at ${server} rejected the credentials (401: ${message}) on ${where}; check the token, or username and password`, {
      retryable: false,
      details,
    });
  }
  if (status === 403) {
    return new PluginError(
      'PERMISSION_DENIED',
      `permission denied on ${where} at ${server}${app ? ` for ${app}` : ''}${projectNote(subject)}: ${message}. ` +
        'Argo CD also answers 403 when the application does not exist or belongs to another project.',
      { retryable: false, details },
    );
  }
  if (status === 404) {
    const what = app || where;
    return new PluginError('NOT_FOUND', `${what} not found on ${server}${projectNote(subject)}: ${message}`, { retryable: false, details });
  }
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(response.headers['retry-after']);
    return new PluginError('RATE_LIMITED', `Argo CD at ${server} is rate limiting ${where} (429)`, {
      retryable: true,
      retryAfterMs,
      details,
    });
  }
  if (status >= 500) {
    return new PluginError('UPSTREAM_UNAVAILABLE', `Argo CD at ${server} failed on ${where} (${status}: ${message})`, {
      retryable: true,
      details,
    });
  }
  // gRPC FailedPrecondition arrives as 400; a sync that is already running is worth retrying later.
  if (status === 409 || /another operation is already in progress/i.test(message)) {
    return new PluginError('CONFLICT', `Argo CD refused ${where}${app ? ` for ${app}` : ''}: ${message}`, { retryable: true, details });
  }
  return new PluginError('REMOTE_ERROR', `Argo CD refused ${where}${app ? ` for ${app}` : ''} on ${server} (${status}: ${message})`, {
    retryable: false,
    details,
  });
}
