import type { Arg, Node } from './ast';
import { ExpressionError, Failure, fail, type ExpressionErrorKind, type ExpressionLocation } from './errors';
import { FILTERS, TESTS } from './filters';
import { javaDouble } from './numbers';
import { arithmetic, compare, contains, isIn } from './operators';
import { BUILTIN_FUNCTIONS, CONTEXT_FUNCTIONS, range } from './functions';
import { CLOCK_CHECK_INTERVAL, DEFAULT_MAX_MILLIS, DEFAULT_MAX_STEPS, MAX_DATA_DEPTH, MAX_MACRO_DEPTH, MAX_RENDER_DEPTH, MAX_STRING_LENGTH, type ExpressionBudget } from './limits';
import { forbiddenKeyMessage } from './static-check';
import { didYouMean, listNames } from './suggest';
import { BODY_VARIABLE, isTemplate, parseTemplate, type Body, type ExprSegment, type ForBlock, type Macro, type Template } from './template';
import { checkStringLength, deepEqual, describeType, FORBIDDEN_KEYS, hasOwn, isEmpty, formatCount, isPlainObject, itemAt, readOwn, setOwn, toText, truthy } from './values';

export interface RenderOptions {
  /** Functions callable from expressions, e.g. secret, credential, now, uuid. Sync. */
  functions?: Record<string, ExpressionFunction>;
  /** Called with every string derived from a secret-tainted value, to mask it in logs and outputs. */
  onSecretValue?: (value: string) => void;
  /**
   * Strings of the context that are secrets (SECRET inputs): reading one taints it like a secret()
   * result, so its slices, filters and concatenations are reported too. A map or list read from
   * the context that holds one is tainted where it is used whole (`inputs | json`); its other
   * members stay plain.
   */
  secretValues?: Iterable<string>;
  /** Where the template is, for error messages. */
  location?: ExpressionLocation;
  /** Work and time this call may take; defaults to DEFAULT_MAX_STEPS and DEFAULT_MAX_MILLIS. */
  budget?: ExpressionBudget;
  /**
   * The real jq, where the caller has one (the worker: jq compiled to WebAssembly, run in a thread
   * with a time limit). It gets the input (JSON text, or a value to serialise) and the program and
   * returns every output. Without it the `jq` filter runs Baton's bounded subset (jq.ts), as in
   * workflow code, which must stay deterministic and synchronous.
   */
  jq?: (input: unknown, program: string) => unknown[];
}

/** What filters and functions may use of the session: paying for the work they do. */
export interface WorkMeter {
  spend(steps: number): void;
}

export interface ExpressionFunction {
  (...args: unknown[]): unknown;
  /** Results are secrets: everything derived from them is reported to onSecretValue. */
  taints?: boolean;
  /**
   * Results reveal nothing of secret arguments (a ciphertext: encrypt(secret('KEY'), text)), so
   * they are not tainted by them.
   */
  conceals?: boolean;
}

/** A value and whether it derives from a secret. */
export interface Value {
  v: unknown;
  t: boolean;
  /**
   * Tainted only because it is context data holding a secret value (see secretValues): its
   * members are tainted only if they hold one themselves.
   */
  c?: boolean;
  /** A number known to be a double in Kestra (printed 1.0, not 1). */
  d?: boolean;
}

const MISSING: Value = { v: undefined, t: false };

/** State shared by everything rendered in one render()/evaluate() call. */
export class Session implements WorkMeter {
  /** Secret strings seen so far: reported once each, and masked in error messages. */
  private readonly secrets = new Set<string>();
  renderDepth = 0;
  macroDepth = 0;
  /** The expression being evaluated, for budget messages. */
  current = '';
  private steps = 0;
  private readonly maxSteps: number;
  private readonly maxMillis: number;
  private readonly deadline: number;
  private nextClockCheck = CLOCK_CHECK_INTERVAL;
  private readonly secretValues: ReadonlySet<string>;
  /** Whether a context map or list holds a secret value, computed once per object. */
  private readonly holders = new WeakMap<object, boolean>();

  constructor(
    readonly context: Record<string, unknown>,
    readonly options: RenderOptions,
  ) {
    this.secretValues = new Set([...(options.secretValues ?? [])].filter((v) => typeof v === 'string' && v !== ''));
    this.maxSteps = options.budget?.steps ?? DEFAULT_MAX_STEPS;
    this.maxMillis = options.budget?.millis ?? DEFAULT_MAX_MILLIS;
    this.deadline = Date.now() + this.maxMillis;
  }

  /** Pays for work; fails once the step or time budget is spent. */
  spend(steps: number): void {
    this.steps += steps;
    if (this.steps > this.maxSteps) this.overBudget(`${formatCount(this.maxSteps)} evaluation steps`);
    if (this.steps >= this.nextClockCheck) {
      this.nextClockCheck = this.steps + CLOCK_CHECK_INTERVAL;
      if (Date.now() > this.deadline) this.overBudget(`${formatCount(this.maxMillis)} ms`);
    }
  }

  private overBudget(limit: string): never {
    const what = this.current ? `the expression '${this.current.length > 120 ? `${this.current.slice(0, 120)}…` : this.current}'` : 'the template';
    fail('limit', `${what} does too much work: it went over the budget of ${limit} for one render; simplify it or move the work into a task`);
  }

  /** Context data read by an expression, tainted if it is (or holds) a secret value of the context. */
  contextValue(v: unknown): Value {
    if (!this.holdsSecret(v, 0)) return { v, t: false };
    return typeof v === 'string' ? { v, t: true } : { v, t: true, c: true };
  }

  private holdsSecret(value: unknown, depth: number): boolean {
    if (this.secretValues.size === 0) return false;
    if (typeof value === 'string') return this.secretValues.has(value);
    if (value === null || typeof value !== 'object' || depth >= MAX_DATA_DEPTH) return false;
    const known = this.holders.get(value);
    if (known !== undefined) return known;
    const items = Array.isArray(value) ? value : isPlainObject(value) ? Object.keys(value).map((k) => safeRead(value, k)) : [];
    const holds = items.some((item) => this.holdsSecret(item, depth + 1));
    this.holders.set(value, holds);
    return holds;
  }

  /**
   * Reports a tainted value: a string, or every string inside a list or map. With `onlySecrets`
   * (context data that holds a secret value) only those values are reported, not its plain members.
   */
  report(value: unknown, depth = 0, onlySecrets = false): void {
    if (onlySecrets && typeof value === 'string' && !this.secretValues.has(value)) return;
    if (typeof value === 'string') {
      if (value === '' || this.secrets.has(value)) return;
      this.secrets.add(value);
      this.options.onSecretValue?.(value);
    } else if (depth < MAX_DATA_DEPTH && value !== null && typeof value === 'object') {
      const items = Array.isArray(value) ? value : isPlainObject(value) ? Object.keys(value).map((k) => safeRead(value, k)) : [];
      for (const item of items) this.report(item, depth + 1, onlySecrets);
    }
  }

  /** Error messages must never carry a secret, even quoted by a filter's message. */
  redact(message: string): string {
    let out = message;
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) {
      if (secret.length >= 4 && out.includes(secret)) out = out.split(secret).join('******');
    }
    return out;
  }

  toError(e: unknown, expression: string, location: ExpressionLocation | undefined): ExpressionError {
    if (e instanceof ExpressionError) return e;
    if (e instanceof Failure) {
      return new ExpressionError(this.redact(e.message), { kind: e.kind, expression: e.expression ?? expression, offset: e.offset, location });
    }
    const isStack = e instanceof RangeError && /call stack/i.test(e.message);
    const detail =
      e instanceof RangeError
        ? isStack
          ? 'the expression is nested too deeply to evaluate'
          : 'the expression produces a value too large to evaluate'
        : `the expression could not be evaluated: ${this.redact(e instanceof Error ? e.message : String(e))}`;
    return new ExpressionError(detail, { kind: e instanceof RangeError ? 'limit' : 'type', expression, location, cause: e });
  }
}

function safeRead(object: object, key: string): unknown {
  try {
    const r = readOwn(object, key);
    return r.found ? r.value : null;
  } catch {
    return null;
  }
}

/** What a template writes, in order: text chunks and expression values. */
class Output {
  private readonly parts: { v: unknown; t: boolean; expr: boolean; segment?: ExprSegment; d?: boolean; c?: boolean }[] = [];
  private size = 0;

  constructor(private readonly session: Session) {}

  write(v: unknown, t: boolean, expr: boolean, segment?: ExprSegment, d?: boolean, c?: boolean): void {
    // Null writes nothing, as in Kestra's writers ('{{ null }}' renders to '', a single one to null).
    if (v === null || v === undefined) return;
    if (typeof v === 'string') this.size += v.length;
    else if (typeof v !== 'object') this.size += String(v).length;
    if (this.size > MAX_STRING_LENGTH) {
      throw Object.assign(
        new Failure('limit', `the rendered text would be longer than the limit of ${formatCount(MAX_STRING_LENGTH)} characters`),
        segment ? { offset: segment.start, expression: segment.source } : {},
      );
    }
    this.parts.push({ v, t, expr, segment, d, c });
  }

  /**
   * Kestra's typed rendering: one value written and nothing else keeps its type (a number, a
   * list …); anything more (text around it, a trailing newline) is concatenated into text.
   */
  typed(): Value {
    if (this.parts.length === 0) return { v: null, t: false };
    if (this.parts.length === 1 && this.parts[0].expr) {
      const only = this.parts[0];
      if (typeof only.v === 'function') {
        throw new Failure('type', 'the expression is a function, not a value; call it, e.g. now()', only.segment?.start, only.segment?.source);
      }
      if (only.t) this.session.report(only.v, 0, only.c);
      return { v: only.v, t: only.t, c: only.c };
    }
    return this.text();
  }

  text(): Value {
    let tainted = false;
    let size = 0;
    const texts = this.parts.map((part) => {
      let text: string;
      try {
        text = part.d && typeof part.v === 'number' ? javaDouble(part.v) : toText(part.v);
      } catch (e) {
        if (e instanceof Failure && part.segment) {
          e.offset ??= part.segment.start;
          e.expression ??= part.segment.source;
        }
        throw e;
      }
      size += text.length;
      checkStringLength(size, 'the rendered text');
      this.session.spend(text.length >> 4);
      if (part.t) {
        tainted = true;
        // The secret part is reported, not the whole text: masking that would hide everything around it.
        this.session.report(text);
      }
      return text;
    });
    return { v: texts.join(''), t: tainted };
  }
}

/**
 * Renders a parsed template. With `typed`, a template whose only output is one expression yields
 * the expression's own value (boolean, number, list …); otherwise the parts are joined as text.
 */
export function renderTemplate(template: Template, session: Session, typed: boolean): Value {
  const evaluator = new Evaluator(session, template.source, template);
  const out = new Output(session);
  evaluator.renderBody(template.body, out);
  return typed ? out.typed() : out.text();
}

/** Evaluates a bare expression tree. */
export function evaluateNode(node: Node, source: string, session: Session): Value {
  const result = new Evaluator(session, source).visit(node);
  if (result.t) session.report(result.v, 0, result.c);
  return result;
}

interface Scope {
  vars: Map<string, Value>;
  /** A macro's scope: lookups stop here (Pebble's local scope); only parameters are visible. */
  isolated: boolean;
}

class Evaluator {
  private readonly scopes: Scope[] = [{ vars: new Map(), isolated: false }];

  constructor(
    private readonly session: Session,
    /** Template text: node offsets index into it, and error messages quote from it. */
    private readonly src: string,
    private readonly template?: Template,
  ) {}

  segment(segment: ExprSegment): Value {
    return this.guard(segment, () => {
      const previous = this.session.current;
      this.session.current = segment.source;
      try {
        return this.visit(segment.node);
      } finally {
        this.session.current = previous;
      }
    });
  }

  renderBody(body: Body, out: Output): void {
    for (const node of body) {
      this.session.spend(1);
      switch (node.kind) {
        case 'text':
          out.write(node.text, false, false);
          break;
        case 'expr': {
          const result = this.segment(node);
          out.write(result.v, result.t, true, node, result.d, result.c);
          break;
        }
        case 'if': {
          const branch = node.branches.find((b) => this.condition(b.cond));
          const chosen = branch ? branch.body : node.otherwise;
          if (chosen) this.renderBody(chosen, out);
          break;
        }
        case 'for':
          this.loop(node, out);
          break;
        case 'set':
          this.top().vars.set(node.name, this.segment(node.value));
          break;
        case 'filter': {
          const inner = new Output(this.session);
          this.renderBody(node.body, inner);
          const scope: Scope = { vars: new Map([[BODY_VARIABLE, inner.text()]]), isolated: false };
          this.scopes.push(scope);
          try {
            const result = this.segment(node.chain);
            out.write(result.v, result.t, true, node.chain);
          } finally {
            this.scopes.pop();
          }
          break;
        }
      }
    }
  }

  private top(): Scope {
    return this.scopes[this.scopes.length - 1];
  }

  /** Pebble's `if`: booleans, numbers (not 0) and text (not empty); null is an error in strict mode, as in Kestra. */
  private condition(cond: ExprSegment): boolean {
    const { v } = this.segment(cond);
    if (v === null || v === undefined) {
      throw Object.assign(
        new Failure('type', `the condition '${cond.source}' is null (null value given to if statement and strict variables is set to true); use '?? false' or 'is defined'`),
        { offset: cond.start, expression: cond.source },
      );
    }
    if (typeof v === 'boolean') return v;
    if (typeof v === 'number') return !Number.isNaN(v) && v !== 0;
    if (typeof v === 'string') return v !== '';
    throw Object.assign(new Failure('type', `the condition '${cond.source}' is ${describeType(v)}; an if needs a boolean, a number or text (e.g. '| length > 0')`), {
      offset: cond.start,
      expression: cond.source,
    });
  }

  /** Pebble's `for`: lists, and maps as {key, value} entries; `loop` holds index (from 0), revindex, first, last, length. */
  private loop(node: ForBlock, out: Output): void {
    const iterable = this.segment(node.iterable);
    const v = iterable.v;
    if (v === null || v === undefined) return;
    let items: unknown[];
    if (Array.isArray(v)) items = Array.from({ length: v.length }, (_, i) => itemAt(v, i));
    else if (isPlainObject(v)) items = Object.keys(v).map((key) => ({ key, value: safeRead(v, key) }));
    else {
      throw Object.assign(new Failure('type', `{% for %} needs a list or a map, but '${node.iterable.source}' is ${describeType(v)}`), {
        offset: node.iterable.start,
        expression: node.iterable.source,
      });
    }
    if (items.length === 0) {
      if (node.otherwise) this.renderBody(node.otherwise, out);
      return;
    }
    const scope: Scope = { vars: new Map(), isolated: false };
    this.scopes.push(scope);
    try {
      const length = items.length;
      items.forEach((item, index) => {
        this.session.spend(1);
        scope.vars.set('loop', { v: { index, revindex: length - index - 1, first: index === 0, last: index === length - 1, length }, t: false });
        scope.vars.set(node.name, iterable.c ? this.session.contextValue(item) : { v: item, t: iterable.t });
        this.renderBody(node.body, out);
      });
    } finally {
      this.scopes.pop();
    }
  }

  /** Calls a `{% macro %}` of this template: its body rendered to text, seeing only its parameters. */
  private callMacro(macro: Macro, node: Extract<Node, { type: 'call' }>): Value {
    const vars = new Map<string, Value>();
    let position = 0;
    for (const arg of node.args) {
      const index = arg.name === undefined ? position++ : macro.params.indexOf(arg.name);
      if (index < 0 || index >= macro.params.length) {
        fail(
          'syntax',
          arg.name === undefined
            ? `macro ${macro.name}() takes ${macro.params.length} argument(s)`
            : `macro ${macro.name}() has no parameter '${arg.name}'; its parameters are: ${macro.params.join(', ')}`,
          arg.value.start,
        );
      }
      vars.set(macro.params[index], this.visit(arg.value));
    }
    macro.params.forEach((param, i) => {
      if (vars.has(param)) return;
      const fallback = macro.defaults[i];
      vars.set(param, fallback ? this.segment(fallback) : { v: null, t: false });
    });
    if (this.session.macroDepth >= MAX_MACRO_DEPTH) fail('limit', `macros call each other more than ${MAX_MACRO_DEPTH} levels deep`, node.start);
    this.session.macroDepth++;
    this.scopes.push({ vars, isolated: true });
    try {
      const out = new Output(this.session);
      this.renderBody(macro.body, out);
      return out.text();
    } finally {
      this.scopes.pop();
      this.session.macroDepth--;
    }
  }

  /** Attaches the block's text and position to failures from inside it. */
  guard<T>(segment: ExprSegment | undefined, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof Failure && segment) {
        e.offset ??= segment.start;
        e.expression ??= segment.source;
      }
      throw e;
    }
  }

  visit(node: Node): Value {
    this.session.spend(1);
    const result = this.compute(node);
    if (result.t && typeof result.v === 'string') this.session.report(result.v);
    return result;
  }

  private compute(node: Node): Value {
    switch (node.type) {
      case 'literal':
        return node.double ? { v: node.value, t: false, d: true } : { v: node.value, t: false };
      case 'list': {
        const items = node.items.map((item) => this.visit(item));
        return { v: items.map((i) => i.v), t: items.some((i) => i.t) };
      }
      case 'map': {
        const out: Record<string, unknown> = {};
        let t = false;
        for (const entry of node.entries) {
          const key = this.visit(entry.key);
          if (typeof key.v !== 'string' && typeof key.v !== 'number') {
            fail('type', `map keys must be text or numbers, not ${describeType(key.v)}`, entry.key.start);
          }
          const k = String(key.v);
          if (FORBIDDEN_KEYS.has(k)) fail('sandbox', forbiddenKeyMessage(k), entry.key.start);
          const value = this.visit(entry.value);
          setOwn(out, k, value.v);
          t ||= key.t || value.t;
        }
        return { v: out, t };
      }
      case 'var':
        return this.variable(node.name, node.start);
      case 'member': {
        const object = this.visit(node.object);
        const key = this.visit(node.key);
        const v = this.member(object.v, key.v, node.object, node.key);
        // Of context data holding a secret, only the members that hold one are tainted.
        if (object.c || !object.t) return this.session.contextValue(v);
        return { v, t: true };
      }
      case 'call':
        return this.call(node);
      case 'filter':
        return this.filter(node);
      case 'test': {
        const input = node.name === 'defined' ? this.lenient(node.input) : this.visit(node.input);
        const result = this.at(node.end - node.name.length, () => TESTS.get(node.name)!(input.v));
        return { v: node.negated ? !result : result, t: false };
      }
      case 'unary': {
        const operand = this.visit(node.operand);
        if (node.op === 'not') return { v: !truthy(operand.v), t: false };
        if (typeof operand.v !== 'number') {
          fail('type', `'${node.op}' needs a number but got ${describeType(operand.v)}${typeof operand.v === 'string' ? "; convert text with '| number'" : ''}`, node.start);
        }
        return { v: node.op === '-' ? -operand.v : operand.v, t: operand.t, d: operand.d };
      }
      case 'binary':
        return this.binary(node);
      case 'ternary':
        return truthy(this.visit(node.cond).v) ? this.visit(node.then) : this.visit(node.otherwise);
    }
  }

  /** Evaluates where a missing variable or property is allowed (default, ??, is defined). */
  private lenient(node: Node): Value {
    try {
      return this.visit(node);
    } catch (e) {
      if (e instanceof Failure && e.kind === 'missing') return MISSING;
      throw e;
    }
  }

  private at<T>(offset: number, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof Failure) e.offset ??= offset;
      throw e;
    }
  }

  /** The source of a node, as the user wrote it, for messages (long ones cut). */
  private text(node: Node): string {
    const text = this.src.slice(node.start, node.end).trim();
    return text.length > 80 ? `${text.slice(0, 80)}…` : text;
  }

  private variable(name: string, offset: number): Value {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const scope = this.scopes[i];
      const local = scope.vars.get(name);
      if (local) return local;
      if (scope.isolated) {
        const names = [...scope.vars.keys()];
        fail('missing', `'${name}' is not defined; a macro sees only its parameters (${names.length ? names.join(', ') : 'none'}); pass it as an argument`, offset);
      }
    }
    const context = this.session.context;
    if (!hasOwn(context, name)) {
      const names = [...new Set([...this.scopes.flatMap((s) => [...s.vars.keys()]).filter((n) => n !== BODY_VARIABLE), ...Object.keys(context)])];
      const hint = didYouMean(name, names);
      fail('missing', `'${name}' is not defined; ${hint ? `${hint} ` : ''}variables available here: ${listNames(names)}`, offset);
    }
    return this.session.contextValue(
      this.at(offset, () => {
        const r = readOwn(context, name);
        return r.found ? r.value : null;
      }),
    );
  }

  /** Property and index access, on own data of plain objects and lists only. */
  private member(object: unknown, key: unknown, objectNode: Node, keyNode: Node): unknown {
    const path = this.text(objectNode);
    const at = keyNode.start;
    if (typeof key !== 'string' && typeof key !== 'number') {
      fail('type', `${path}[…] needs text or a number inside the brackets, not ${describeType(key)}`, at);
    }
    if (typeof key === 'string' && FORBIDDEN_KEYS.has(key)) fail('sandbox', forbiddenKeyMessage(key), at);
    if (object === null || object === undefined) {
      fail('missing', `${path} is null, so it has no property '${key}'; use '??' or '| default(…)' if it may be empty`, at);
    }
    if (Array.isArray(object)) {
      const index = typeof key === 'number' ? key : /^-?\d+$/.test(key) ? Number(key) : NaN;
      if (!Number.isInteger(index)) {
        fail('missing', `${path} is a list; use an index such as ${path}[0], or '| length' for its size`, at);
      }
      const i = index < 0 ? object.length + index : index;
      const r = i >= 0 ? this.at(at, () => readOwn(object, String(i))) : { found: false as const };
      if (!r.found) fail('missing', `${path} has no item at index ${index}; it has ${object.length} item(s)`, at);
      return r.value;
    }
    if (isPlainObject(object)) {
      const k = String(key);
      const r = this.at(at, () => readOwn(object, k));
      if (!r.found) {
        const keys = Object.keys(object);
        const hint = didYouMean(k, keys);
        fail('missing', `${path} has no property '${k}'; ${keys.length ? `it has: ${listNames(keys)}` : 'it is empty'}${hint ? ` (${hint})` : ''}`, at);
      }
      return r.value;
    }
    if (typeof object === 'string' && typeof key === 'number') {
      const i = key < 0 ? object.length + key : key;
      if (!Number.isInteger(i) || i < 0 || i >= object.length) fail('missing', `${path} has no character at index ${key}`, at);
      return object[i];
    }
    if (typeof object === 'object' || typeof object === 'function') {
      fail('sandbox', `${path} is ${describeType(object)}; expressions can only read properties of maps and lists`, at);
    }
    fail('missing', `${path} is ${describeType(object)}, which has no property '${key}'`, at);
  }

  private args(args: Arg[], params: string[]): { values: unknown[]; taints: boolean[] } {
    const values: unknown[] = [];
    const taints: boolean[] = [];
    let position = 0;
    for (const arg of args) {
      const index = arg.name === undefined ? position++ : params.indexOf(arg.name);
      if (index < 0) fail('syntax', `unknown argument '${arg.name}'${params.length ? `; the arguments are: ${params.join(', ')}` : ''}`, arg.value.start);
      const value = this.visit(arg.value);
      values[index] = value.v;
      taints[index] = value.t;
    }
    return { values, taints };
  }

  private filter(node: Extract<Node, { type: 'filter' }>): Value {
    const def = FILTERS.get(node.name);
    if (!def) fail('syntax', `unknown filter '${node.name}'`, node.nameStart);
    const input = node.name === 'default' ? this.lenient(node.input) : this.visit(node.input);
    const { values, taints } = this.args(node.args, def.params);
    let v: unknown;
    const argTainted = taints.some(Boolean);
    try {
      this.session.spend(workSize(input.v));
      v = def.apply(input.v, values, this.session);
      if (v !== input.v) this.session.spend(workSize(v));
      if (typeof v === 'string' && v !== input.v) checkStringLength(v.length, `the result of '${node.name}'`);
    } catch (e) {
      throw this.wrapFailure(e, `filter '${node.name}'`, node.nameStart, input.t || argTainted);
    }
    let t: boolean;
    if (node.name === 'default') t = isEmpty(input.v) ? !!taints[0] : input.t;
    else t = def.clean ? false : input.t || argTainted;
    // Kestra's number filter gives a double for text with a decimal point; abs keeps the kind.
    const d =
      (node.name === 'number' && typeof input.v === 'string' && /[.eE]/.test(input.v) && !/^(INT|INTEGER|LONG)$/i.test(String(values[0] ?? ''))) ||
      (node.name === 'abs' && input.d);
    return d ? { v, t, d } : { v, t };
  }

  /** Failures keep their message unless a secret was involved; anything else was a bug or a host error. */
  private wrapFailure(e: unknown, what: string, offset: number, tainted: boolean, kind: ExpressionErrorKind = 'type'): Failure {
    if (e instanceof Failure) {
      if (tainted && e.kind !== 'limit') return new Failure(e.kind, `${what} failed on a secret value (details hidden)`, offset);
      e.offset ??= offset;
      return e;
    }
    if (e instanceof ExpressionError) return new Failure(e.kind, e.detail, offset);
    const message = e instanceof Error ? e.message : String(e);
    return new Failure(e instanceof RangeError ? 'limit' : kind, `${what} failed${tainted ? ' on a secret value' : `: ${message}`}`, offset);
  }

  private call(node: Extract<Node, { type: 'call' }>): Value {
    const functions = this.session.options.functions;
    const custom = functions && hasOwn(functions, node.name) ? functions[node.name] : undefined;
    if (typeof custom === 'function') return this.callProvided(node, custom);
    const macro = this.template?.macros.get(node.name);
    if (macro) return this.callMacro(macro, node);
    if (node.name === 'render' || node.name === 'renderOnce') return this.render(node);
    const builtin = BUILTIN_FUNCTIONS.get(node.name);
    if (!builtin) {
      const available = [...BUILTIN_FUNCTIONS.keys(), 'render', 'renderOnce', ...Object.keys(functions ?? {}).filter((k) => typeof functions![k] === 'function')].sort();
      if (CONTEXT_FUNCTIONS.has(node.name)) {
        fail('function', `function ${node.name}() is not available here: it is provided only where tasks run; available here: ${listNames(available)}`, node.start);
      }
      const hint = didYouMean(node.name, available, (s) => `${s}()`);
      fail('function', `unknown function ${node.name}()${hint ? `; ${hint}` : ''}; available functions: ${listNames(available)}`, node.start);
    }
    if (!builtin.variadic && node.args.filter((a) => !a.name).length > builtin.params.length) {
      fail('syntax', `${node.name}() takes at most ${builtin.params.length} argument(s)`, node.start);
    }
    const { values, taints } = this.args(node.args, builtin.params);
    const required = builtin.params.slice(0, builtin.required ?? 0).filter((_, i) => values[i] === undefined);
    if (required.length) fail('syntax', `${node.name}() needs ${required.map((r) => `'${r}'`).join(' and ')}`, node.start);
    const tainted = taints.some(Boolean);
    try {
      return { v: builtin.call(values, this.session), t: tainted };
    } catch (e) {
      throw this.wrapFailure(e, `${node.name}()`, node.start, tainted);
    }
  }

  /** Functions passed in by the caller (secret, credential …): positional arguments, named ones as a final map. */
  private callProvided(node: Extract<Node, { type: 'call' }>, fn: ExpressionFunction): Value {
    const args: unknown[] = [];
    const named: Record<string, unknown> = {};
    let hasNamed = false;
    let tainted = false;
    for (const arg of node.args) {
      const value = this.visit(arg.value);
      tainted ||= value.t;
      if (arg.name === undefined) args.push(value.v);
      else {
        setOwn(named, arg.name, value.v);
        hasNamed = true;
      }
    }
    if (hasNamed) args.push(named);
    let v: unknown;
    try {
      v = fn(...args);
    } catch (e) {
      throw this.wrapFailure(e, this.text(node), node.start, false, 'function');
    }
    if (v !== null && typeof v === 'object' && typeof (v as { then?: unknown }).then === 'function') {
      fail('function', `${node.name}() returned a Promise; functions used in expressions must be synchronous (resolve the value beforehand)`, node.start);
    }
    const t = fn.taints === true || (tainted && fn.conceals !== true);
    if (t) this.session.report(v);
    return { v: v === undefined ? null : v, t };
  }

  /** render(text, recursive=true): renders text as a template with the same context (Kestra). */
  private render(node: Extract<Node, { type: 'call' }>): Value {
    const once = node.name === 'renderOnce';
    const { values, taints } = this.args(node.args, once ? ['template'] : ['template', 'recursive']);
    const [template] = values;
    const recursive = once ? false : values[1];
    const session = this.session;
    if (session.renderDepth >= MAX_RENDER_DEPTH) {
      fail('limit', `render() is nested more than ${MAX_RENDER_DEPTH} levels deep`, node.start);
    }
    session.renderDepth++;
    let tainted = !!taints[0];
    const renderText = (template: string): string => {
      let current = template;
      for (let round = 0; ; round++) {
        if (!isTemplate(current)) return current;
        const next = renderTemplate(parseTemplate(current), session, false);
        tainted ||= next.t;
        const text = next.v as string;
        if (recursive === false || text === current) return text;
        if (round >= MAX_RENDER_DEPTH) fail('limit', `too many rendering attempts: render() kept producing new expressions after ${MAX_RENDER_DEPTH} rounds`);
        current = text;
      }
    };
    // Kestra renders every text inside a list or map too (keys stay as they are).
    const renderValue = (value: unknown, depth: number): unknown => {
      if (depth > MAX_DATA_DEPTH) fail('limit', `the value is nested more than ${MAX_DATA_DEPTH} levels deep`);
      if (typeof value === 'string') return renderText(value);
      if (Array.isArray(value)) return value.map((_, i) => renderValue(itemAt(value, i), depth + 1));
      if (isPlainObject(value)) {
        const out: Record<string, unknown> = {};
        for (const key of Object.keys(value)) setOwn(out, key, renderValue(safeRead(value, key), depth + 1));
        return out;
      }
      return value ?? null;
    };
    try {
      const v = renderValue(template, 0);
      return { v, t: tainted };
    } catch (e) {
      if (e instanceof Failure) {
        throw new Failure(e.kind, `in render(${this.text(node.args[0]?.value ?? node)}): ${e.message}`, node.start);
      }
      throw e;
    } finally {
      session.renderDepth--;
    }
  }

  private binary(node: Extract<Node, { type: 'binary' }>): Value {
    const { op } = node;
    if (op === 'and' || op === 'or') {
      const left = truthy(this.visit(node.left).v);
      if (op === 'and' ? !left : left) return { v: left, t: false };
      return { v: truthy(this.visit(node.right).v), t: false };
    }
    if (op === '??') {
      const left = this.lenient(node.left);
      return left.v !== null && left.v !== undefined ? left : this.visit(node.right);
    }
    if (op === '???') {
      // Kestra's undefined-coalescing: only a missing value is replaced; null stays null.
      const left = this.lenient(node.left);
      return left !== MISSING ? left : this.visit(node.right);
    }
    const l = this.visit(node.left);
    const r = this.visit(node.right);
    const a = l.v;
    const b = r.v;
    // Comparing or searching big values walks them.
    if (op === '==' || op === '!=' || op === 'in' || op === 'not in' || op === 'contains') this.session.spend(workSize(a) + workSize(b));
    return this.at(node.opStart, () => {
      switch (op) {
        case '==':
          return { v: deepEqual(a, b), t: false };
        case '!=':
          return { v: !deepEqual(a, b), t: false };
        case '<':
        case '>':
        case '<=':
        case '>=':
          return { v: compare(a, b, op), t: false };
        case 'in':
          return { v: contains(b, a), t: false };
        case 'not in':
          return { v: !contains(b, a), t: false };
        case 'contains':
          return { v: contains(a, b), t: false };
        case '~': {
          const left = l.d && typeof a === 'number' ? javaDouble(a) : toText(a);
          const right = r.d && typeof b === 'number' ? javaDouble(b) : toText(b);
          checkStringLength(left.length + right.length, "the result of '~'");
          this.session.spend((left.length + right.length) >> 4);
          return { v: left + right, t: l.t || r.t };
        }
        case '..':
          return { v: range(a, b, 1, this.session), t: false };
        case 'isIn':
          return { v: isIn(a, b), t: false };
        case 'notIn':
          return { v: !isIn(a, b), t: false };
        default:
          // Pebble divides two longs as Java does (10 / 4 is 2): whole numbers not known to be
          // doubles are longs here; 10 / 4.0 and 10.0 / 4 stay 2.5.
          if (op === '/' && !l.d && !r.d && Number.isInteger(a) && Number.isInteger(b) && b !== 0) return { v: Math.trunc((a as number) / (b as number)), t: l.t || r.t };
          return { v: arithmetic(op, a, b), t: l.t || r.t, d: l.d || r.d };
      }
    });
  }
}

/** What a filter pays for its input and output: one step per item or entry, or per 16 characters. */
function workSize(value: unknown): number {
  if (typeof value === 'string') return 1 + (value.length >> 4);
  if (Array.isArray(value)) return 1 + value.length;
  if (isPlainObject(value)) return 1 + Object.keys(value).length;
  return 1;
}
