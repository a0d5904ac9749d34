// Types of ui-flows.mjs (plain ESM shared by the UI benchmark and the web tests).
export function wideFlow(options?: { namespace?: string; id?: string; stages?: number; branches?: number; perBranch?: number }): string;
export function longFlow(options?: { namespace?: string; id?: string; tasks?: number }): string;
