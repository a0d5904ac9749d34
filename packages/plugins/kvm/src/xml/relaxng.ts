// libvirt's own RelaxNG schema applied to a domain definition before it is sent, with the line of
// each error. npm has no complete RelaxNG validator, so this runs libxml2's xmllint (Debian
// package libxml2-utils) against the schema libvirt installs beside the daemon
// (/usr/share/libvirt/schemas/domain.rng: the version that will judge the XML). Where either is
// missing the caller falls back to the structural check alone and logs that it did.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { XmlProblem } from './domain-xml';

const SCHEMA_DIRS = ['/usr/share/libvirt/schemas', '/usr/local/share/libvirt/schemas'];
const XMLLINT_PATHS = ['/usr/bin/xmllint', '/usr/local/bin/xmllint', '/bin/xmllint'];

export interface RelaxNgResult {
  /** False when xmllint or the schema is not installed (nothing was checked). */
  checked: boolean;
  schema?: string;
  problems: XmlProblem[];
  /** Why nothing was checked, for the log. */
  skippedBecause?: string;
}

export function findSchema(file: string): string | undefined {
  return SCHEMA_DIRS.map((dir) => path.join(dir, file)).find((p) => fs.existsSync(p));
}

/** Validates `xml` against libvirt's `domain.rng` (or another schema file of the same directory). */
export async function validateWithRelaxNg(xml: string, schemaFile = 'domain.rng'): Promise<RelaxNgResult> {
  const xmllint = XMLLINT_PATHS.find((p) => fs.existsSync(p));
  const schema = findSchema(schemaFile);
  if (!xmllint) return { checked: false, problems: [], skippedBecause: 'xmllint is not installed (Debian package libxml2-utils)' };
  if (!schema) return { checked: false, problems: [], skippedBecause: `libvirt's schema ${schemaFile} is not installed (${SCHEMA_DIRS[0]})` };
  const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    const child = spawn(xmllint, ['--noout', '--nonet', '--relaxng', schema, '-'], { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (c) => resolve({ code: c, stderr: err }));
    child.stdin.end(xml);
  });
  if (code === 0) return { checked: true, schema, problems: [] };
  // "-:4: element bogus: Relax-NG validity error : Element domain has extra content: bogus"
  const problems: XmlProblem[] = [];
  for (const line of stderr.split('\n')) {
    const m = /^-:(\d+): (?:element (\S+): )?(?:Relax-NG validity error|parser error) : (.*)$/.exec(line);
    if (m) problems.push({ line: Number(m[1]), column: 1, message: m[2] ? `<${m[2]}>: ${m[3]}` : m[3] });
  }
  if (!problems.length) problems.push({ line: 1, column: 1, message: stderr.trim().split('\n')[0] || `xmllint exited with ${code}` });
  return { checked: true, schema, problems };
}
