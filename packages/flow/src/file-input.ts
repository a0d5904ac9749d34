// FILE inputs (Kestra's): the file is uploaded with the execution's start (multipart) and stored
// in internal storage; the input's value is its kestra:/// URI. A URI may also be given as text
// (a subflow passing its parent's file on, or a default), read later only if the execution may.

const STORAGE_URI = /^kestra:\/\/\/[^?#]+$/;

/** A FILE input's value: a kestra:/// URI. Throws with what to send instead. */
export function coerceFileInput(raw: unknown): string {
  if (typeof raw === 'string' && STORAGE_URI.test(raw.trim())) return raw.trim();
  throw new Error('expected a file: upload it as a multipart/form-data part named after the input, or give a kestra:/// URI');
}
