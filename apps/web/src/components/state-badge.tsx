import type { CSSProperties } from 'react';
import { Icon, Spinner, type IconName } from './icons';
import s from './state-badge.module.css';

// One color and one icon per state, used by badges, graph nodes and the Gantt: a state reads the
// same everywhere (and not by color alone).
const STYLE: Record<string, { tone: string; icon: IconName | 'spin' }> = {
  SUCCESS: { tone: 'success', icon: 'check' },
  FAILED: { tone: 'failed', icon: 'x' },
  RUNNING: { tone: 'running', icon: 'spin' },
  KILLING: { tone: 'killed', icon: 'spin' },
  PAUSED: { tone: 'paused', icon: 'pause' },
  WARNING: { tone: 'warning', icon: 'alert' },
  RETRYING: { tone: 'retrying', icon: 'retry' },
  RESTARTED: { tone: 'running', icon: 'retry' },
  KILLED: { tone: 'killed', icon: 'skull' },
  CANCELLED: { tone: 'neutral', icon: 'slash' },
  SKIPPED: { tone: 'neutral', icon: 'skip' },
  CREATED: { tone: 'neutral', icon: 'clock' },
  QUEUED: { tone: 'neutral', icon: 'clock' },
};

export function stateTone(state: string | undefined) {
  return STYLE[state ?? '']?.tone ?? 'neutral';
}

/** CSS color variables of a state: `var(--s-<tone>)` and its soft background. */
export function stateColors(state: string | undefined): { color: string; soft: string } {
  const tone = stateTone(state);
  return { color: `var(--s-${tone})`, soft: `var(--s-${tone}-soft)` };
}

export function StateIcon({ state, size = 14 }: { state: string; size?: number }) {
  const icon = STYLE[state]?.icon ?? 'clock';
  if (icon === 'spin') return <Spinner size={size} label={state} />;
  return <Icon name={icon} size={size} title={state} />;
}

export function StateBadge({ state, size = 'md', style }: { state: string; size?: 'sm' | 'md'; style?: CSSProperties }) {
  const { color, soft } = stateColors(state);
  return (
    <span className={`${s.badge} ${size === 'sm' ? s.sm : ''}`} style={{ color, background: soft, ...style }} data-state={state}>
      <StateIcon state={state} size={size === 'sm' ? 11 : 12} />
      {state}
    </span>
  );
}
