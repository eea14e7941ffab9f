/**
 * Escaping of untrusted text (tool ids, requirement text, judge reasoning, findings) for GitHub
 * markdown: no HTML, no @mention, no table breaking, no fence breaking.
 */

const INLINE: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '|': '&#124;',
  '@': '&#64;',
  '`': '&#96;',
  '\\': '&#92;',
  '*': '&#42;',
  '[': '&#91;',
  ']': '&#93;',
  '~': '&#126;',
};

/**
 * Escape text for one line of markdown (a table cell, a summary): every markdown or HTML
 * metacharacter becomes an entity, line breaks become spaces, control characters vanish.
 */
export function escapeInline(text: string, maxLength = 300): string {
  let clean = text
    .replace(/\r\n|\r|\n|\u2028|\u2029/g, ' ')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/g, '');
  if (clean.length > maxLength) clean = `${clean.slice(0, maxLength - 1)}…`;
  return clean.replace(/[&<>"|@`\\*[\]~]/g, (c) => INLINE[c] ?? c);
}

/**
 * Untrusted multi-line text as a fenced block: the fence is longer than any backtick run
 * inside, so the text cannot close it; inside a fence nothing renders and nobody is mentioned.
 */
export function fenced(text: string, maxLength = 4000, info = 'text'): string {
  let clean = text.replace(/\r\n|\r/g, '\n');
  // eslint-disable-next-line no-control-regex
  clean = clean.replace(/[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e]/g, '');
  if (clean.length > maxLength)
    clean = `${clean.slice(0, maxLength)}\n… (cut at ${maxLength} characters)`;
  let longest = 0;
  for (const run of clean.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${clean}\n${fence}`;
}

/** A code span for trusted short values (shas, numbers): backticks cannot occur in them. */
export function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

/**
 * Untrusted text for one terminal line: no control characters (no ANSI escapes), no line
 * breaks, pipes escaped so a markdown reader of the output still sees the table.
 */
export function plainInline(text: string, maxLength = 300): string {
  let clean = text
    .replace(/\r\n|\r|\n|\u2028|\u2029/g, ' ')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/g, '');
  if (clean.length > maxLength) clean = `${clean.slice(0, maxLength - 1)}…`;
  return clean.replace(/\|/g, '\\|');
}

/**
 * A log line that cannot be a workflow command: the runner parses `::name::` at the start of any
 * output line (`::stop-commands::`, `::add-mask::`), and tool ids and messages come from the PR.
 */
export function commandSafe(text: string): string {
  const line = text.replace(/[\r\n\u2028\u2029]+/g, ' ');
  return line.startsWith('::') ? ` ${line}` : line;
}
