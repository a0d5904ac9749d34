// FILE inputs (Kestra's): the file is uploaded with the execution's start (multipart) and stored
// in internal storage; the input's value is its kestra:/// URI. A URI may also be given as text
// (a subflow passing its parent's file on, or a default), read later only if the execution may.
// As in Kestra, a namespace file is a file too: `defaults: nsfile:///hello.txt` (the flow's own
// namespace) or nsfile://company.team/hello.txt.

const STORAGE_URI = /^kestra:\/\/\/[^?#]+$/;
const NAMESPACE_FILE_URI = /^nsfile:\/\/[\w.-]*\/[^?#]+$/;

/** A FILE input's value: a kestra:/// or nsfile:// URI. Throws with what to send instead. */
export function coerceFileInput(raw: unknown): string {
  const text = typeof raw === 'string' ? raw.trim() : undefined;
  if (text && (STORAGE_URI.test(text) || NAMESPACE_FILE_URI.test(text))) return text;
  throw new Error('expected a file: upload it as a multipart/form-data part named after the input, or give a kestra:/// URI (or nsfile:///path of a namespace file)');
}
