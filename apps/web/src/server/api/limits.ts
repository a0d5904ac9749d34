// Request limits of the REST API, in one place: the handlers enforce them and
// GET /api/v1/openapi.json publishes them. A body past its limit is answered 413 before it is
// read to the end; a field past its limit is 422 (or 413 for a secret value); nothing is stored.
import { FIELD_LIMITS } from '@baton/engine/ui';
import { MAX_INPUT_DEPTH } from '@baton/flow';

export const BODY_LIMITS = {
  /** A flow's YAML source (POST/PUT flows, validate). */
  flowSource: 1024 * 1024,
  /** Execution inputs (JSON, multipart or url-encoded) of a start, a resume or a replay. */
  inputs: 1024 * 1024,
  /** PUT secret: {"value": "..."}; the value itself is limited to FIELD_LIMITS.secretValueBytes. */
  secret: FIELD_LIMITS.secretValueBytes * 2 + 1024,
  /** PUT credential: a few fields (PEM keys and certificates are the big ones). */
  credential: 256 * 1024,
  /** Bulk kill: {"ids": [...]} of at most 500 ids. */
  killByIds: 64 * 1024,
  /** A namespace's plugin defaults, as YAML or JSON. */
  pluginDefaults: 256 * 1024,
  /** An expression to debug against an execution. */
  expression: 16 * 1024,
  /** A KV value (JSON or text) with its options. */
  kvValue: 512 * 1024,
  /** Temporal codec endpoint: a batch of payloads from the Temporal UI (flow plans can be large). */
  codec: 16 * 1024 * 1024,
  /**
   * A start with FILE inputs (multipart): the files and the other inputs. next.config.ts lets the
   * proxy buffer a little more (proxyClientMaxBodySize), so a larger body is refused 413 here, not cut.
   */
  upload: 64 * 1024 * 1024,
  /** Small control bodies (create tenant). */
  default: 16 * 1024,
} as const;

/** JSON bodies nest at most this deep (inputs use the same bound). */
export const JSON_MAX_DEPTH = MAX_INPUT_DEPTH;
/** A path parameter (tenant, namespace, id, name...) is at most this long. */
export const PARAM_MAX_CHARS = 512;
/** A query parameter's name or value. */
export const QUERY_MAX_CHARS = 4096;
/** Searches: page numbers from 1 to PAGE_MAX, sizes from 1 to SIZE_MAX (larger sizes are capped and the used size echoed). */
export const PAGE_MAX = 100_000;
export const SIZE_MAX = 200;
/** Revisions are PostgreSQL integers. */
export const REVISION_MAX = 2_147_483_647;

export { FIELD_LIMITS };
