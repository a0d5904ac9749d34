import { FLOW_ID_MAX, LABEL_LIMITS, NAMESPACE_MAX, NAMESPACE_PATTERN } from '@baton/flow';
import { AppError } from './app-error';

// Field limits the services enforce whoever calls them (the API, the CLI through the API, the UI).
// Each one is here so the API documentation (GET /api/v1/openapi.json) can quote the same numbers.
// Ids end up in Temporal search attributes, index keys and URLs: they stay short and printable.

export const FIELD_LIMITS = {
  /** Kestra's tenant pattern; tenants are created explicitly (POST /api/v1/tenants). */
  tenantId: { pattern: /^[a-z0-9][a-z0-9_-]*$/, max: 64 },
  /** Kestra's flow id pattern and size (io.kestra.core.models.flows.AbstractFlow). */
  flowId: { max: FLOW_ID_MAX },
  namespace: { pattern: NAMESPACE_PATTERN, max: NAMESPACE_MAX },
  /** Secret names are what `secret('NAME')` and SECRET_<NAME> use: no dots, slashes or spaces. */
  secretName: { pattern: /^[A-Za-z0-9_][A-Za-z0-9_-]*$/, max: 255 },
  /** Bytes of a secret value (UTF-8). */
  secretValueBytes: 64 * 1024,
  /** Labels given when starting an execution (?labels=key:value) and declared in flows. */
  labels: LABEL_LIMITS,
  /** Execution ids we generate are 22 characters; anything far longer cannot exist. */
  executionIdMax: 64,
} as const;

const printable = (s: string) => !/[\u0000-\u001f\u007f]/.test(s);

function check(value: string, what: string, rule: { pattern?: RegExp; max: number }, example: string) {
  if (!value) throw new AppError('UNPROCESSABLE', `${what} is empty; for example ${example}`);
  if (value.length > rule.max) throw new AppError('UNPROCESSABLE', `${what} is ${value.length} characters long; at most ${rule.max} are allowed`);
  if (!printable(value) || (rule.pattern && !rule.pattern.test(value))) {
    throw new AppError('UNPROCESSABLE', `${what} '${printableExcerpt(value)}' is not valid; ${rule.pattern ? `it must match ${rule.pattern.source}, ` : ''}for example ${example}`);
  }
}

/** A short, printable rendering of a user value for an error message. */
export function printableExcerpt(value: string, max = 80): string {
  const clean = value.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

export function checkTenantId(id: string) {
  check(id, 'tenant id', FIELD_LIMITS.tenantId, 'main or team-a');
}

export function checkNamespace(namespace: string) {
  check(namespace, 'namespace', FIELD_LIMITS.namespace, 'company.team');
}

export function checkSecretName(name: string) {
  check(name, 'secret name', FIELD_LIMITS.secretName, 'CLOUDFLARE_API_TOKEN');
}

export function checkSecretValue(value: string) {
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes > FIELD_LIMITS.secretValueBytes) throw new AppError('TOO_LARGE', `a secret value is limited to ${FIELD_LIMITS.secretValueBytes} bytes; this one has ${bytes}`);
  if (value.includes('\u0000')) throw new AppError('UNPROCESSABLE', 'a secret value cannot contain the NUL character (\\u0000)');
}

/** Labels added at start time: bounded count and sizes, printable keys. */
export function checkLabels(labels: Record<string, string>) {
  const { count, keyMax, valueMax } = FIELD_LIMITS.labels;
  const entries = Object.entries(labels);
  if (entries.length > count) throw new AppError('UNPROCESSABLE', `at most ${count} labels are allowed; got ${entries.length}`);
  for (const [key, value] of entries) {
    if (!key || key.length > keyMax || !printable(key)) throw new AppError('UNPROCESSABLE', `label key '${printableExcerpt(key)}' must be 1 to ${keyMax} printable characters`);
    if (value.length > valueMax || value.includes('\u0000'))
      throw new AppError('UNPROCESSABLE', `label ${printableExcerpt(key)}: the value must be at most ${valueMax} characters without NUL`);
  }
}
