/**
 * Hard bounds for everything an expression can make the engine do. Flows are written by users and
 * rendered inside Temporal workflow code, where a hang or a stack overflow stalls a workflow task,
 * so every loop, recursion and allocation driven by a template is capped here.
 */
export const MAX_TEMPLATE_LENGTH = 1_000_000;
/** Largest string an operation may produce (concatenation, replace, join, toJson, rendering). */
export const MAX_STRING_LENGTH = 1_000_000;
/** Largest list range() / `..` may produce. */
export const MAX_RANGE_ITEMS = 10_000;
/** Nesting of parentheses, brackets, unary operators and ternaries while parsing. */
export const MAX_NESTING = 64;
/**
 * Depth of the parsed tree. Larger than MAX_NESTING because a flat chain such as
 * `a ~ b ~ c ~ …` or `x | f | g | …` nests one level per operator.
 */
export const MAX_AST_DEPTH = 128;
/** Nesting of data walked by toJson, equality and deep rendering (also catches cycles). */
export const MAX_DATA_DEPTH = 256;
/** Nested render() calls (a template rendering a template …). */
export const MAX_RENDER_DEPTH = 5;
/** Work budget of one jq evaluation, in visited nodes and produced values. */
export const MAX_JQ_STEPS = 1_000_000;
/** Parsed templates kept in memory, by count and by total source length. */
export const MAX_CACHED_TEMPLATES = 5_000;
export const MAX_CACHED_CHARS = 16_000_000;
/** Macros calling macros (recursion is allowed, but bounded). */
export const MAX_MACRO_DEPTH = 20;

/**
 * Work and time one render()/evaluate() call may take (issue 15). Steps are counted by the
 * evaluator (one per node and tag), by filters (one per list item, map entry or 16 characters of
 * input and of output), by range() (one per item) and by jq (one per visited node and produced value). Steps are
 * the real guard inside Temporal workflow code, where Date.now() stands still during a workflow
 * task; the clock guards activities. The default step budget keeps any render well under 200 ms.
 */
export interface ExpressionBudget {
  /** Evaluation steps, summed over everything the call renders. */
  steps?: number;
  /** Wall-clock milliseconds. */
  millis?: number;
}
export const DEFAULT_MAX_STEPS = 100_000;
// The clock is the second guard, for activities: generous enough that a loaded machine does not
// fail renders that the step budget allows (those take well under 100 ms on an idle one).
export const DEFAULT_MAX_MILLIS = 500;
/** The clock is read once per this many steps: Date.now() is cheap but not free. */
export const CLOCK_CHECK_INTERVAL = 1_024;
