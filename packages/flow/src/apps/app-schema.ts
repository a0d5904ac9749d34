import { z } from 'zod';

/**
 * Kestra's Apps (Enterprise `io.kestra.plugin.ee.apps.Execution`) as zod schemas, so an App
 * written for Kestra loads unchanged. Property names follow Kestra's plugin docs; where Baton
 * differs it is said next to the field and in docs/apps.md.
 */

export const APP_TYPE = 'io.kestra.plugin.ee.apps.Execution';

/** The stages an App page shows, in Kestra's names. */
export const APP_STAGES = ['OPEN', 'CREATED', 'RUNNING', 'PAUSE', 'RESUME', 'SUCCESS', 'FAILURE', 'ERROR', 'FALLBACK'] as const;
export type AppStage = (typeof APP_STAGES)[number];

const CORE = 'io.kestra.plugin.ee.apps.core.blocks.';
const EXEC = 'io.kestra.plugin.ee.apps.execution.blocks.';

/** Block names and the package Kestra puts each in (the full type is `<package><Name>`). */
export const BLOCK_PACKAGES = {
  Markdown: CORE,
  Alert: CORE,
  Button: CORE,
  RedirectTo: CORE,
  Loading: CORE,
  AutoRefresh: CORE,
  CreateExecutionForm: EXEC,
  CreateExecutionButton: EXEC,
  CancelExecutionButton: EXEC,
  ResumeExecutionForm: EXEC,
  ResumeExecutionButton: EXEC,
  Inputs: EXEC,
  Outputs: EXEC,
  Logs: EXEC,
  TaskOutputs: EXEC,
} as const;
export type BlockName = keyof typeof BLOCK_PACKAGES;
export const BLOCK_NAMES = Object.keys(BLOCK_PACKAGES) as BlockName[];

/** Kestra's own routing block: it has no effect on what is shown, so Baton accepts and ignores it. */
export const ROUTE_BLOCK_TYPE = `${EXEC}internal.Route`;

const BUTTON_STYLES = ['DEFAULT', 'SUCCESS', 'INFO', 'WARNING', 'DANGER'] as const;
const BUTTON_SIZES = ['DEFAULT', 'LARGE', 'SMALL'] as const;
const ISO_DURATION = /^P(?!$)(\d+(?:\.\d+)?D)?(T(?=\d)(\d+(?:\.\d+)?H)?(\d+(?:\.\d+)?M)?(\d+(?:\.\d+)?S)?)?$/;

const buttonShape = (defaultText: string) => ({
  text: z.string().max(200).default(defaultText).describe('The label of the button'),
  style: z.enum(BUTTON_STYLES).default('DEFAULT').describe('The colour of the button'),
  size: z.enum(BUTTON_SIZES).default('DEFAULT').describe('The size of the button'),
});
const filterShape = {
  filter: z
    .object({
      include: z.array(z.string()).optional().describe('Only these ids'),
      exclude: z.array(z.string()).optional().describe('All but these ids'),
    })
    .strict()
    .optional()
    .describe('Which ids to show: include wins over exclude'),
};
const duration = z.string().regex(ISO_DURATION, 'an ISO-8601 duration such as PT5S');

/** Each block's properties (without `type`). */
export const BLOCK_PROPERTIES = {
  Markdown: z.object({ content: z.string().max(100_000).describe('Markdown text') }).strict(),
  Alert: z
    .object({
      content: z.string().max(10_000).describe('Markdown text of the alert'),
      style: z.enum(['SUCCESS', 'INFO', 'WARNING', 'ERROR']).default('INFO').describe('The kind of alert'),
      showIcon: z.boolean().default(false).describe('Show an icon for the kind'),
    })
    .strict(),
  Button: z.object({ url: z.string().max(2000).describe('Where the button leads (http, https or a path of this site)'), ...buttonShape('Submit') }).strict(),
  RedirectTo: z
    .object({
      url: z.string().max(2000).describe('Where to send the browser (http, https or a path of this site)'),
      delay: duration.optional().describe('How long to wait first, e.g. PT3S'),
    })
    .strict(),
  Loading: z.object({}).strict(),
  AutoRefresh: z
    .object({
      delay: z
        .union([z.number().int().min(1).max(3600), duration])
        .optional()
        .describe('Seconds (or an ISO-8601 duration) between refreshes; 1 second by default'),
    })
    .strict(),
  CreateExecutionForm: z.object({ ...filterShape }).strict(),
  CreateExecutionButton: z.object(buttonShape('Submit')).strict(),
  CancelExecutionButton: z.object(buttonShape('Cancel')).strict(),
  ResumeExecutionForm: z.object({}).strict(),
  ResumeExecutionButton: z.object(buttonShape('Resume')).strict(),
  Inputs: z.object({ ...filterShape }).strict(),
  Outputs: z.object({ ...filterShape }).strict(),
  Logs: z
    .object({
      filter: z
        .object({
          logLevel: z.enum(['ERROR', 'WARN', 'INFO', 'DEBUG', 'TRACE']).optional().describe('The lowest level shown'),
          taskIds: z.array(z.string()).optional().describe('Only the logs of these tasks'),
        })
        .strict()
        .optional()
        .describe('Which log lines to show'),
    })
    .strict(),
  TaskOutputs: z.object({ ...filterShape }).strict(),
} satisfies Record<BlockName, z.ZodObject>;

export type AppBlock = { [K in BlockName]: { type: K } & z.output<(typeof BLOCK_PROPERTIES)[K]> }[BlockName];

export const accessSchema = z
  .object({
    type: z.enum(['PUBLIC', 'PRIVATE']).default('PRIVATE').describe('PUBLIC: anyone with the link, signed in or not; PRIVATE: signed-in users'),
    groups: z.array(z.string().max(100)).max(100).default([]).describe('PRIVATE only: the groups whose members may use the app (empty: every signed-in user)'),
    catalog: z.boolean().default(true).describe('List the app in the catalog'),
  })
  .strict();

const ID = /^[a-zA-Z0-9][a-zA-Z0-9_-]*$/;
const NAMESPACE = /^[a-z0-9][a-z0-9._-]*$/;
const FLOW_ID = /^[a-zA-Z0-9][a-zA-Z0-9._-]*$/;

/** The document without its layout, which is checked block by block for better errors. */
export const appHeaderSchema = z
  .object({
    id: z.string().min(1).max(100).regex(ID, 'letters, digits, _ and -, starting with a letter or digit').describe('The app id (unique in the tenant; part of its URL)'),
    type: z.literal(APP_TYPE).describe(`Always ${APP_TYPE}`),
    displayName: z.string().min(1).max(150).describe('The name shown in the catalog and on the page'),
    description: z.string().max(10_000).optional().describe('Shown under the name'),
    namespace: z.string().min(1).max(150).regex(NAMESPACE, 'lower-case letters, digits, ., _ and -').describe('The namespace of the app (who may edit it)'),
    flowId: z.string().min(1).max(100).regex(FLOW_ID, 'letters, digits, ., _ and -').describe('The flow the app starts (in the same namespace)'),
    flowRevision: z.number().int().min(1).optional().describe('A pinned revision of the flow (the latest by default)'),
    tags: z.array(z.string().max(100)).max(50).default([]).describe('Tags to filter the catalog by'),
    disabled: z.boolean().default(false).describe('A disabled app cannot be opened'),
    access: accessSchema.default({ type: 'PRIVATE', groups: [], catalog: true }).describe('Who may use the app'),
    layout: z.array(z.unknown()).optional(),
    // Accepted for Kestra files, not used by Baton (docs/apps.md says why).
    executionId: z.string().optional().describe('Not used by Baton'),
    expiration: z.object({ startDate: z.string().optional(), endDate: z.string().optional() }).strict().optional().describe('Not used by Baton yet'),
  })
  .strict();

export type AppAccess = z.output<typeof accessSchema>;
export interface AppLayoutStage {
  on: AppStage;
  blocks: AppBlock[];
}
export type AppDefinition = Omit<z.output<typeof appHeaderSchema>, 'layout'> & { layout: AppLayoutStage[] };

/** Kestra's default layout: a form with a submit button, then a thank-you note. */
export const DEFAULT_LAYOUT: AppLayoutStage[] = [
  {
    on: 'OPEN',
    blocks: [{ type: 'CreateExecutionForm' }, { type: 'CreateExecutionButton', text: 'Submit', style: 'INFO', size: 'DEFAULT' }],
  },
  { on: 'CREATED', blocks: [{ type: 'Markdown', content: 'Thanks for submitting your request!' }] },
];
