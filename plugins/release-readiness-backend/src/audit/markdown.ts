/* Markdown helpers of the dossier. */

/** Text for a table cell: one line, pipes escaped. */
export function cell(value: unknown): string {
  if (value === undefined || value === null || value === '') return '';
  return String(value).replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

/** Text inside a line of a list or paragraph. */
export function inline(value: unknown): string {
  return String(value ?? '').replace(/\s*\r?\n\s*/g, ' ');
}

export function code(value: unknown): string {
  const text = inline(value);
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}

export function table(header: string[], rows: unknown[][]): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => ' --- ').join('|')}|`,
    ...rows.map(row => `| ${row.map(cell).join(' | ')} |`),
  ];
}

export const yesNo = (value: boolean) => (value ? 'yes' : 'no');
