/** `data-testid` for props objects (okButtonProps…), where TypeScript rejects the hyphenated key in a literal. */
export function testId(id: string): Record<string, string> {
  return { 'data-testid': id };
}
