// The Baton CLI, for GitOps pipelines: validate and deploy a folder of flows, run a flow and wait.
//   baton flow validate <dir|file...>
//   baton flow deploy <dir|file...>
//   baton run <namespace> <flowId> [--input key=value ...] [--wait]
//   baton expression render [--typed] [--vars vars.json] 'TEMPLATE'   (offline, no server)
// Options: --server URL (env BATON_URL, default http://localhost:3000), --tenant (default main),
// credentials: BATON_TOKEN (an API token, sent as Bearer), or BATON_USER / BATON_PASSWORD (HTTP Basic).
import fs from 'node:fs';
import path from 'node:path';
import { expressions } from '@baton/flow';
import { ExecutionSchema, isTerminal } from '@baton/contract';
import YAML from 'yaml';

interface Options {
  server: string;
  tenant: string;
  inputs: Record<string, string>;
  wait: boolean;
  positional: string[];
}

export function parseArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): Options {
  const options: Options = { server: env.BATON_URL ?? 'http://localhost:3000', tenant: 'main', inputs: {}, wait: false, positional: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--server') options.server = argv[++i];
    else if (arg === '--tenant') options.tenant = argv[++i];
    else if (arg === '--wait') options.wait = true;
    else if (arg === '--input' || arg === '-i') {
      const pair = argv[++i] ?? '';
      const eq = pair.indexOf('=');
      if (eq < 1) throw new Error(`--input takes key=value, got '${pair}'`);
      options.inputs[pair.slice(0, eq)] = pair.slice(eq + 1);
    } else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}`);
    else options.positional.push(arg);
  }
  return options;
}

/** YAML files named on the command line, folders expanded recursively, in a stable order. */
export function flowFiles(targets: string[]): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    const stat = fs.statSync(p);
    if (stat.isDirectory()) for (const e of fs.readdirSync(p).sort()) walk(path.join(p, e));
    else if (/\.ya?ml$/.test(p)) out.push(p);
  };
  for (const t of targets) {
    if (!fs.existsSync(t)) throw new Error(`${t} does not exist`);
    walk(t);
  }
  return out;
}

function headers(env: NodeJS.ProcessEnv, extra: Record<string, string> = {}) {
  const h: Record<string, string> = { ...extra };
  if (env.BATON_TOKEN) h.authorization = `Bearer ${env.BATON_TOKEN}`;
  else if (env.BATON_USER && env.BATON_PASSWORD) h.authorization = `Basic ${Buffer.from(`${env.BATON_USER}:${env.BATON_PASSWORD}`).toString('base64')}`;
  return h;
}

async function call(options: Options, method: string, url: string, body?: string, contentType = 'application/json') {
  let res: Response;
  try {
    res = await fetch(`${options.server}${url}`, { method, body, headers: headers(process.env, body ? { 'content-type': contentType } : {}) });
  } catch (error) {
    throw new Error(`cannot reach Baton at ${options.server} (${(error as Error).cause ?? (error as Error).message}); is it running? Set --server or BATON_URL.`);
  }
  const text = await res.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = { message: text };
  }
  if (res.status === 401) {
    // Every command but `expression render` needs credentials: say how to give them.
    throw new Error(`${json?.message ?? 'Baton asks for credentials'} (set BATON_TOKEN to an API token, or BATON_USER and BATON_PASSWORD)`);
  }
  return { status: res.status, body: json };
}

const print = (line = '') => process.stdout.write(`${line}\n`);

async function flowCommand(verb: string, options: Options): Promise<number> {
  const files = flowFiles(options.positional);
  if (!files.length) {
    print('no .yaml or .yml files found');
    return 1;
  }
  let failures = 0;
  for (const file of files) {
    const source = fs.readFileSync(file, 'utf8');
    const endpoint = verb === 'validate' ? `/api/v1/${options.tenant}/flows/validate` : `/api/v1/${options.tenant}/flows`;
    const res = await call(options, 'POST', endpoint, source, 'application/x-yaml');
    const errors: { line: number; column: number; path: string; message: string }[] = res.body?.errors ?? [];
    if (res.status >= 400 || errors.length) {
      failures++;
      if (!errors.length) print(`${file}: ${res.status} ${res.body?.message ?? ''}`);
      for (const e of errors) print(`${file}:${e.line}:${e.column}: ${e.path ? `${e.path}: ` : ''}${e.message}`);
    } else if (verb === 'validate') {
      print(`${file}: valid`);
    } else {
      print(`${file}: ${res.body.namespace}.${res.body.id} revision ${res.body.revision}${res.body.changed === false ? ' (unchanged)' : ''}`);
    }
  }
  print(`${files.length - failures}/${files.length} ${verb === 'validate' ? 'valid' : 'deployed'}`);
  return failures ? 1 : 0;
}

async function runCommand(options: Options): Promise<number> {
  const [namespace, flowId] = options.positional;
  if (!namespace || !flowId) throw new Error('usage: baton run <namespace> <flowId> [--input key=value] [--wait]');
  const res = await call(options, 'POST', `/api/v1/${options.tenant}/executions/${namespace}/${flowId}`, JSON.stringify(options.inputs));
  if (res.status >= 400) {
    print(`${res.status} ${res.body?.message ?? ''}`);
    for (const e of res.body?.errors ?? []) print(`  ${e.input ?? e.path}: ${e.message}`);
    return 1;
  }
  const id = res.body.id;
  print(`execution ${id} ${res.body.state.current}`);
  if (!options.wait) return 0;
  const seen = new Map<string, string>();
  for (;;) {
    const res = await call(options, 'GET', `/api/v1/${options.tenant}/executions/${id}`);
    if (res.status >= 400) throw new Error(`reading execution ${id}: ${res.status} ${res.body?.message ?? ''}`);
    // The wire contract says what an execution looks like; a server that answers otherwise is
    // reported as such instead of crashing on a missing field.
    const parsed = ExecutionSchema.safeParse(res.body);
    if (!parsed.success)
      throw new Error(`the server's answer for execution ${id} is not an execution: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
    const body = parsed.data;
    for (const t of body.taskRunList) {
      const label = `${t.taskId}${t.value ? `[${t.value}]` : ''}`;
      if (seen.get(t.id) !== t.state.current) {
        seen.set(t.id, t.state.current);
        print(`  ${t.state.current.padEnd(9)} ${label}${t.error ? `: ${t.error}` : ''}`);
      }
    }
    if (isTerminal(body.state.current)) {
      print(`execution ${id} ${body.state.current}${body.error ? `: ${body.error}` : ''}`);
      if (Object.keys(body.outputs ?? {}).length) print(`outputs: ${JSON.stringify(body.outputs)}`);
      return body.state.current === 'SUCCESS' || body.state.current === 'WARNING' ? 0 : 1;
    }
    if (body.state.current === 'PAUSED' && seen.get('__paused') !== '1') {
      seen.set('__paused', '1');
      print(`  paused: resume with POST ${options.server}/api/v1/${options.tenant}/executions/${id}/resume`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * Renders a template with Baton's expression engine, offline: prints {"value": …} or
 * {"error": "…"} as JSON and returns the exit code. Without --typed the result is text, as in a
 * log message; with --typed a template that is one expression keeps its type, as task properties do.
 */
export function expressionCommand(argv: string[], out: (line: string) => void = print): number {
  let typed = false;
  let varsFile: string | undefined;
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--typed') typed = true;
    else if (arg === '--vars') {
      varsFile = argv[++i];
      if (!varsFile) throw new Error('--vars takes a JSON or YAML file');
    } else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}`);
    else positional.push(arg);
  }
  if (positional.length !== 1) throw new Error("usage: baton expression render [--typed] [--vars vars.json] 'TEMPLATE'");
  const [template] = positional;
  let vars: unknown = {};
  if (varsFile) {
    const text = fs.readFileSync(varsFile, 'utf8');
    try {
      vars = /\.ya?ml$/i.test(varsFile) ? YAML.parse(text) : JSON.parse(text);
    } catch (error) {
      throw new Error(`${varsFile} is not valid ${/\.ya?ml$/i.test(varsFile) ? 'YAML' : 'JSON'}: ${(error as Error).message}`);
    }
    if (vars === null || typeof vars !== 'object' || Array.isArray(vars)) throw new Error(`${varsFile} must hold an object of variables, e.g. {"inputs": {"name": "web"}}`);
  }
  const context = vars as Record<string, unknown>;
  try {
    const value = typed ? expressions.render(template, context) : expressions.renderString(template, context);
    out(JSON.stringify({ value: value === undefined ? null : value }));
    return 0;
  } catch (error) {
    out(JSON.stringify({ error: (error as Error).message }));
    return 1;
  }
}

export async function main(argv: string[]): Promise<number> {
  try {
    const [command, sub, ...rest] = argv;
    if (command === 'expression' && sub === 'render') return expressionCommand(rest);
    if (command === 'flow' && (sub === 'validate' || sub === 'deploy')) return await flowCommand(sub, parseArgs(rest));
    if (command === 'run') return await runCommand(parseArgs(argv.slice(1)));
    print(
      "usage:\n  baton flow validate <dir|file...>\n  baton flow deploy <dir|file...>\n  baton run <namespace> <flowId> [--input key=value ...] [--wait]\n  baton expression render [--typed] [--vars vars.json] 'TEMPLATE'\noptions: --server URL (BATON_URL), --tenant NAME",
    );
    return command ? 2 : 0;
  } catch (error) {
    print(`baton: ${(error as Error).message}`);
    return 2;
  }
}
