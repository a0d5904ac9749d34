/** MAAS status labels (status_name) and the short names its list filter takes. */
export const STATUS_LABELS = [
  'New',
  'Commissioning',
  'Failed commissioning',
  'Missing',
  'Ready',
  'Reserved',
  'Deployed',
  'Retired',
  'Broken',
  'Deploying',
  'Allocated',
  'Failed deployment',
  'Releasing',
  'Releasing failed',
  'Disk erasing',
  'Failed disk erasing',
  'Rescue mode',
  'Entering rescue mode',
  'Failed to enter rescue mode',
  'Exiting rescue mode',
  'Failed to exit rescue mode',
  'Testing',
  'Failed testing',
] as const;

const SHORT: Record<string, string> = {
  'releasing failed': 'failed_releasing',
  'failed to enter rescue mode': 'failed_entering_rescue_mode',
  'exiting rescue mode': 'exiting_rescue_mode',
  'failed to exit rescue mode': 'failed_exiting_rescue_mode',
  'failed deployment': 'failed_deployment',
};

/** "Ready" → "ready", "Failed commissioning" → "failed_commissioning" (GET /machines/?status=). */
export function statusFilterName(label: string): string {
  const key = label.trim().toLowerCase();
  return SHORT[key] ?? key.replace(/\s+/g, '_');
}
