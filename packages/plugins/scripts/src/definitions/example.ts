/** A documentation example: the task inside a complete flow, so it can be validated and copied. */
export const example = (title: string, body: string) => ({
  title,
  flow: `id: example\nnamespace: company.team\n\n${body.trim()}\n`,
});
