/** Fills `{0}`, `{1}`… in an already localized template; a placeholder without an argument stays as it is. */
export function fillTemplate(template: string, ...args: (string | number)[]): string {
  return template.replace(/\{(\d+)\}/g, (match, index: string) => {
    const value = args[Number(index)];
    return value === undefined ? match : String(value);
  });
}
