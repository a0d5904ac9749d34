import type { ReactNode } from 'react';

// Plugin, approval and blueprint descriptions are short markdown: headings, paragraphs, lists (bulleted
// and numbered), tables, code blocks, `code`, **bold**, *italics* and links. This renders that subset to React elements (no HTML injection, no dependency).

function inline(text: string, key = 0): ReactNode[] {
  const out: ReactNode[] = [];
  const re = /(`[^`]+`)|(\*\*[^*]+\*\*)|(\*[^*\s][^*]*\*)|(\[[^\]]+\]\([^)\s]+\))/g;
  let last = 0;
  let m: RegExpExecArray | null;
  let i = 0;
  while ((m = re.exec(text))) {
    if (m.index > last) out.push(text.slice(last, m.index));
    const t = m[0];
    const k = `${key}-${i++}`;
    if (m[1]) out.push(<code key={k}>{t.slice(1, -1)}</code>);
    else if (m[2]) out.push(<strong key={k}>{t.slice(2, -2)}</strong>);
    else if (m[3]) out.push(<em key={k}>{t.slice(1, -1)}</em>);
    else if (m[4]) {
      const [, label, href] = /^\[([^\]]+)\]\(([^)]+)\)$/.exec(t)!;
      const safe = /^(https?:|\/)/.test(href) ? href : undefined;
      out.push(
        safe ? (
          <a key={k} href={safe} target={safe.startsWith('/') ? undefined : '_blank'} rel="noreferrer">
            {label}
          </a>
        ) : (
          label
        ),
      );
    }
    last = m.index + t.length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

const BULLET = /^\s*[-*] /;
const NUMBERED = /^\s*\d+[.)] /;

/** List items: a marker line starts one, an indented line continues it (blueprint descriptions wrap long items). */
function items(lines: string[], marker: RegExp): string[] {
  const out: string[] = [];
  for (const line of lines) {
    if (marker.test(line) || !out.length) out.push(line.replace(marker, ''));
    else out[out.length - 1] += ` ${line.trim()}`;
  }
  return out;
}

const isList = (lines: string[], marker: RegExp) => marker.test(lines[0]) && lines.every((l) => marker.test(l) || /^\s+\S/.test(l));

/** `| a | b |` → ['a', 'b'] */
const cells = (line: string) =>
  line
    .trim()
    .replace(/^\||\|$/g, '')
    .split('|')
    .map((c) => c.trim());

function Block({ lines }: { lines: string[] }): ReactNode {
  if (!lines.length) return null;
  if (lines[0].startsWith('```'))
    return (
      <pre>
        <code>{lines.join('\n').replace(/^```\w*\n?|```$/g, '')}</code>
      </pre>
    );
  if (isList(lines, BULLET)) {
    return (
      <ul>
        {items(lines, BULLET).map((l, j) => (
          <li key={j}>{inline(l, j)}</li>
        ))}
      </ul>
    );
  }
  if (isList(lines, NUMBERED)) {
    return (
      <ol>
        {items(lines, NUMBERED).map((l, j) => (
          <li key={j}>{inline(l, j)}</li>
        ))}
      </ol>
    );
  }
  // A table: a header row, a |---| separator, then rows (blueprints list the secrets they need so).
  if (lines.length >= 2 && lines.every((l) => l.trim().startsWith('|')) && /^\|?[\s:|-]+\|?$/.test(lines[1].trim())) {
    return (
      <table>
        <thead>
          <tr>
            {cells(lines[0]).map((c, j) => (
              <th key={j}>{inline(c, j)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {lines.slice(2).map((row, r) => (
            <tr key={r}>
              {cells(row).map((c, j) => (
                <td key={j}>{inline(c, j)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    );
  }
  const heading = /^(#{1,4}) (.*)$/.exec(lines[0]);
  if (heading) {
    // A heading line (approval descriptions use them), then the rest of the block as a block of its own.
    const H = `h${Math.min(heading[1].length + 2, 6)}` as 'h3';
    return (
      <>
        <H>{inline(heading[2], 0)}</H>
        <Block lines={lines.slice(1)} />
      </>
    );
  }
  // One paragraph: its lines joined first, so **bold** or `code` wrapped over a line break still renders.
  return <p>{inline(lines.join(' '), 0)}</p>;
}

export function Markdown({ text, className }: { text: string; className?: string }) {
  const blocks = text.trim().split(/\n{2,}/);
  return (
    <div className={className}>
      {blocks.map((block, i) => (
        <Block key={i} lines={block.split('\n')} />
      ))}
    </div>
  );
}
