// FILE inputs in the form: the control holds the chosen File; a start that carries one is sent as
// multipart/form-data (the other inputs as text fields, parsed by the server as from any form).

export const isFileValue = (v: unknown): v is File => typeof File !== 'undefined' && v instanceof File;

/** Whether a payload holds a file, so it must go as multipart. */
export function hasFiles(payload: Record<string, unknown>): boolean {
  return Object.values(payload).some(isFileValue);
}

/** The payload as a form: files as file parts, text as is, anything else as JSON text. */
export function toFormData(payload: Record<string, unknown>): FormData {
  const form = new FormData();
  for (const [key, value] of Object.entries(payload)) {
    if (isFileValue(value)) form.append(key, value, value.name);
    else form.append(key, typeof value === 'string' ? value : JSON.stringify(value));
  }
  return form;
}
