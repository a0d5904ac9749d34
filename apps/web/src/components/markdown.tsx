import { Fragment, type ReactNode } from 'react';

// Plugin descriptions and approval descriptions are short markdown: headings, paragraphs, lists, `code`, **bold**, *italics* and
// links. This renders that subset to React elements (no HTML injection, no dependency).

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

export function Markdown({ text, className }: { text: string; className?: string }) {
  const blocks = text.trim().split(/\n{2,}/);
  return (
    <div className={className}>
      {blocks.map((block, i) => {
        const lines = block.split('\n');
        if (lines.every((l) => /^\s*[-*] /.test(l))) {
          return (
            <ul key={i}>
              {lines.map((l, j) => (
                <li key={j}>{inline(l.replace(/^\s*[-*] /, ''), j)}</li>
              ))}
            </ul>
          );
        }
        const heading = /^(#{1,4}) (.*)$/.exec(lines[0]);
        if (heading) {
          // A heading line (approval descriptions use them), then the rest of the block as a paragraph.
          const H = `h${Math.min(heading[1].length + 2, 6)}` as 'h3';
          const rest = lines.slice(1).join('\n');
          return (
            <Fragment key={i}>
              <H>{inline(heading[2], 0)}</H>
              {rest ? <p>{inline(rest.replace(/\n/g, ' '), 1)}</p> : null}
            </Fragment>
          );
        }
        if (block.startsWith('```'))
          return (
            <pre key={i}>
              <code>{block.replace(/^```\w*\n?|```$/g, '')}</code>
            </pre>
          );
        return (
          <p key={i}>
            {lines.map((l, j) => (
              <Fragment key={j}>
                {j ? ' ' : null}
                {inline(l, j)}
              </Fragment>
            ))}
          </p>
        );
      })}
    </div>
  );
}
