// Label limits in a module of their own (no zod), so workflow code can import them.

/** Labels of a flow: count and sizes (the same limits apply to labels given at start time and by Labels tasks). */
export const LABEL_LIMITS = { count: 50, keyMax: 100, valueMax: 255 } as const;
