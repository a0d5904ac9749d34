import type { FlowInput } from '@/modules/api/types';
import { validateField, type FieldValue, type FormValues } from '@/modules/inputs/lib/inputs';

/** The inputs a form block shows: include wins over exclude (Kestra's IncludeOrExcludeFilter). */
export function filterInputs(inputs: FlowInput[], filter?: { include?: string[]; exclude?: string[] }): FlowInput[] {
  if (filter?.include?.length) return inputs.filter((i) => filter.include!.includes(i.id));
  if (filter?.exclude?.length) return inputs.filter((i) => !filter.exclude!.includes(i.id));
  return inputs;
}

/** A typed form's state and its handlers, shared by the create and the resume forms. */
export interface FormState {
  values: FormValues;
  errors: Record<string, string>;
  onChange: (id: string, v: FieldValue) => void;
  onBlurValidate: (id: string, e: string | undefined) => void;
}

/** Handlers that keep an error shown only while the value is wrong (as the execute dialog does). */
export function formHandlers(
  inputs: FlowInput[],
  setValues: (f: (all: FormValues) => FormValues) => void,
  setErrors: (f: (all: Record<string, string>) => Record<string, string>) => void,
): Pick<FormState, 'onChange' | 'onBlurValidate'> {
  const put = (id: string, e: string | undefined) =>
    setErrors((all) => {
      const next = { ...all };
      if (e) next[id] = e;
      else delete next[id];
      return next;
    });
  return {
    onChange: (id, v) => {
      setValues((all) => ({ ...all, [id]: v }));
      setErrors((all) => {
        if (!all[id]) return all;
        const input = inputs.find((i) => i.id === id);
        const next = { ...all };
        const e = input ? validateField(input, v) : undefined;
        if (e) next[id] = e;
        else delete next[id];
        return next;
      });
    },
    onBlurValidate: put,
  };
}

/** A URL a block may send the browser to: http(s) or a path of this site, nothing else (no javascript:). */
export function safeUrl(url: string): string | undefined {
  return /^(https?:\/\/|\/(?!\/))/i.test(url.trim()) ? url.trim() : undefined;
}

/** Seconds of an AutoRefresh/RedirectTo delay: a number of seconds or a simple ISO-8601 duration. */
export function delaySeconds(delay: number | string | undefined, fallback: number): number {
  if (typeof delay === 'number') return delay;
  if (!delay) return fallback;
  const m = /^PT(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?$/.exec(delay);
  if (!m) return fallback;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}
