/**
 * Pebble-compatible expressions for Kestra-style flows: `{{ inputs.x | upper }}`.
 *
 * Pure TypeScript with no imports outside this folder: it runs inside Temporal workflow code
 * (no Node built-ins, no I/O, no eval) as well as in activities. Templates are sandboxed (only
 * own data of plain objects and lists is readable, nothing is callable but listed functions) and
 * bounded (see limits.ts). Secrets are tracked by taint and reported through onSecretValue.
 */
import { ExpressionError, type ExpressionLocation } from './errors';
import { evaluateNode, renderTemplate, Session, type RenderOptions } from './evaluator';
import { MAX_DATA_DEPTH } from './limits';
import { isTemplate, parseExpression, parseTemplate } from './template';
import { isPlainObject, toText } from './values';

export { ExpressionError } from './errors';
export type { ExpressionErrorKind, ExpressionLocation } from './errors';
export type { ExpressionFunction, RenderOptions } from './evaluator';
export { checkSyntax, findFunctionCalls, findReferences } from './analysis';
export { namespaceFileUri } from './functions';
export { FILTERS as filters } from './filters';
export { DEFAULT_MAX_MILLIS, DEFAULT_MAX_STEPS, type ExpressionBudget } from './limits';
export * as limits from './limits';

/**
 * Renders a value: strings are templates; arrays and objects are rendered deeply (keys untouched).
 * As in Kestra's typed rendering, a template whose only output is one expression returns that
 * expression's value (a number, a list …); any other output (text around it, even a trailing
 * newline, or several expressions) is concatenated into a string, lists and maps as JSON.
 * Strings without `{{`, `{%` or `{#` are returned as they are. One budget (options.budget) covers
 * the whole call.
 */
export function render(value: unknown, context: Record<string, unknown>, options: RenderOptions = {}): unknown {
  const session = new Session(context, options);
  return renderDeep(value, session, options.location?.property, 0);
}

export function renderString(template: string, context: Record<string, unknown>, options: RenderOptions = {}): string {
  const session = new Session(context, options);
  if (!isTemplate(template)) return template;
  return renderText(template, session, options.location, false) as string;
}

/** Evaluates a bare expression (no braces), e.g. "inputs.count > 3". */
export function evaluate(expression: string, context: Record<string, unknown>, options: RenderOptions = {}): unknown {
  const session = new Session(context, options);
  try {
    return evaluateNode(parseExpression(expression), expression, session).v;
  } catch (e) {
    throw session.toError(e, expression, options.location);
  }
}

function renderText(text: string, session: Session, location: ExpressionLocation | undefined, typed: boolean): unknown {
  try {
    const result = renderTemplate(parseTemplate(text), session, typed).v;
    return typed ? result : toText(result);
  } catch (e) {
    throw session.toError(e, text, location);
  }
}

function renderDeep(value: unknown, session: Session, property: string | undefined, depth: number): unknown {
  if (depth > MAX_DATA_DEPTH) {
    throw new ExpressionError(`the value is nested more than ${MAX_DATA_DEPTH} levels deep`, {
      kind: 'limit',
      expression: '',
      location: locationAt(session, property),
    });
  }
  if (typeof value === 'string') {
    return isTemplate(value) ? renderText(value, session, locationAt(session, property), true) : value;
  }
  if (Array.isArray(value)) return value.map((item, i) => renderDeep(item, session, `${property ?? ''}[${i}]`, depth + 1));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const path = /^[A-Za-z_$][\w$-]*$/.test(key) ? (property ? `${property}.${key}` : key) : `${property ?? ''}['${key}']`;
      Object.defineProperty(out, key, {
        value: renderDeep(value[key], session, path, depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}

function locationAt(session: Session, property: string | undefined): ExpressionLocation | undefined {
  const base = session.options.location;
  if (!base && property === undefined) return undefined;
  return { ...base, ...(property !== undefined ? { property } : {}) };
}
