// Blueprints (docs/blueprints.md): the shapes of /api/v1/{tenant}/blueprints, shared by the engine
// (which answers them), the Blueprints page and the tests.
import { z } from 'zod';

/** `shipped`: a file of blueprints/ in the Baton release; `custom`: a tenant's own, saved from a flow. */
export const BLUEPRINT_KINDS = ['shipped', 'custom'] as const;
export const BlueprintKindSchema = z.enum(BLUEPRINT_KINDS);
export type BlueprintKind = z.infer<typeof BlueprintKindSchema>;

/** A blueprint in a listing: what the cards show, without the YAML. */
export const BlueprintSummarySchema = z.looseObject({
  /** The file name without `.yaml` (shipped), or a generated id (custom). */
  id: z.string(),
  kind: BlueprintKindSchema,
  /** `extend.title`, or the flow id when there is none. */
  title: z.string(),
  /** `extend.description`: markdown (how it works, prerequisites, secrets it needs). */
  description: z.string(),
  tags: z.array(z.string()),
  /** The flow's id and namespace as the YAML declares them; "Use" lets the user pick another namespace. */
  flowId: z.string(),
  namespace: z.string(),
  /** Task types the flow uses, in order of first use (the cards show the systems it touches). */
  types: z.array(z.string()),
  updated: z.string().nullable(),
  updatedBy: z.string().nullable(),
});
export type BlueprintSummary = z.infer<typeof BlueprintSummarySchema>;

/** One blueprint with its flow YAML. */
export const BlueprintSchema = BlueprintSummarySchema.extend({ source: z.string() });
export type Blueprint = z.infer<typeof BlueprintSchema>;

export const BlueprintPageSchema = z.looseObject({ results: z.array(BlueprintSummarySchema), total: z.number() });
export type BlueprintPage = z.infer<typeof BlueprintPageSchema>;

export const BlueprintTagsSchema = z.looseObject({ results: z.array(z.object({ name: z.string(), count: z.number() })) });
export type BlueprintTags = z.infer<typeof BlueprintTagsSchema>;

/** Limits of a custom blueprint's fields (the flow YAML has the flow source's limit). */
export const BLUEPRINT_LIMITS = { title: 200, description: 20_000, tags: 20, tag: 50 } as const;

/**
 * Create or edit a custom blueprint: the flow YAML, and the metadata that goes into its `extend:`
 * block (given fields win over what the YAML's `extend:` says).
 */
export const BlueprintInputSchema = z.strictObject({
  source: z.string().min(1, 'source (the flow YAML) is required'),
  title: z.string().trim().min(1, 'title must not be empty').max(BLUEPRINT_LIMITS.title).optional(),
  description: z.string().max(BLUEPRINT_LIMITS.description).optional(),
  tags: z.array(z.string().trim().min(1, 'a tag must not be empty').max(BLUEPRINT_LIMITS.tag)).max(BLUEPRINT_LIMITS.tags).optional(),
});
export type BlueprintInput = z.infer<typeof BlueprintInputSchema>;
