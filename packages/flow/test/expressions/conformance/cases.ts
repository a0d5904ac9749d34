// Conformance cases ported from Pebble's and Kestra's own test suites. Each case names the test
// it comes from; where Baton deliberately differs, `differs` gives the reason and what Baton does
// instead (the README's compatibility table lists these).
import { describe, expect, it } from 'vitest';
import { ExpressionError, render, renderString } from '../../../src/expressions';

export interface Case {
  /** Source test: repository file and test method. */
  source: string;
  template: string;
  vars?: Record<string, unknown>;
  /** What Pebble / Kestra render (text unless `typed`). */
  expected?: unknown;
  /** The render fails; the message contains this. */
  error?: string;
  /** Render as a typed property (Kestra's renderTyped) instead of text. */
  typed?: boolean;
  /** Baton deliberately differs: why, and what it renders (`baton`) or the error it gives (`error`). */
  differs?: { reason: string; baton?: unknown; error?: string };
}

export const PEBBLE = 'PebbleTemplates/pebble pebble/src/test/java/io/pebbletemplates/pebble/';
export const KESTRA = 'kestra-io/kestra core/src/test/java/io/kestra/core/runners/pebble/';

export function conformance(title: string, cases: Case[]): void {
  describe(title, () => {
    for (const c of cases) {
      const name = `${c.source}: ${JSON.stringify(c.template).slice(0, 80)}${c.differs ? ` [differs: ${c.differs.reason}]` : ''}`;
      it(name, () => {
        const run = () => (c.typed ? render(c.template, c.vars ?? {}) : renderString(c.template, c.vars ?? {}));
        const error = c.differs ? c.differs.error : c.error;
        if (error !== undefined) {
          let thrown: unknown;
          try {
            run();
          } catch (e) {
            thrown = e;
          }
          expect(thrown, 'expected the render to fail').toBeInstanceOf(ExpressionError);
          expect((thrown as Error).message).toContain(error);
          return;
        }
        expect(run()).toEqual(c.differs ? c.differs.baton : c.expected);
      });
    }
  });
}
