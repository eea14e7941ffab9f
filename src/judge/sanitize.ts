/**
 * Text hygiene for untrusted input (code, requirement text, feature lists) before it reaches a
 * model, and for untrusted output (a model's reasoning) before it reaches a report. Pure.
 */

/**
 * Characters that render as nothing or reorder what is shown: zero-width and joiners, word
 * joiner, BOM, soft hyphen, bidi embeddings / overrides / isolates / marks, the invisible math
 * operators, and the Unicode tag block (U+E0000–U+E007F), which can spell hidden ASCII.
 */
// Variation selectors are combining marks on purpose here: they are invisible on their own.
const INVISIBLE =
  // eslint-disable-next-line no-misleading-character-class
  /[\u00AD\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0\uFFF9-\uFFFB]|\u{E0000}|\u{E0001}|[\u{E0020}-\u{E007F}]|[\u{E0100}-\u{E01EF}]/gu;

/** C0/C1 controls except tab and newline. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

const PICTOGRAPHIC = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\uFE0F]$/u;
const PICTOGRAPHIC_START = /^\p{Extended_Pictographic}/u;
/** A subdivision flag: U+1F3F4 then tag letters then CANCEL TAG (U+E007F), e.g. 🏴 + "gbsct". */
const FLAG_TAGS = /\u{1F3F4}[\u{E0020}-\u{E007E}]+\u{E007F}/gu;

/**
 * Whether the invisible character at `index` is ordinary emoji plumbing: a variation selector
 * (text / emoji presentation) or a zero-width joiner between two pictographs.
 */
function isEmojiPart(text: string, index: number, ch: string): boolean {
  if (ch === '\uFE0E' || ch === '\uFE0F') return true;
  if (ch !== '\u200D') return false;
  return (
    PICTOGRAPHIC.test(text.slice(Math.max(0, index - 4), index)) &&
    PICTOGRAPHIC_START.test(text.slice(index + 1, index + 3))
  );
}

/**
 * Count of each invisible code point in `text`, keyed `U+XXXX`. Emoji plumbing (presentation
 * selectors, joiners between pictographs, subdivision flags) is not counted.
 */
export function findInvisible(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  const scanned = text.replace(FLAG_TAGS, '\u{1F3F4}');
  for (const match of scanned.matchAll(INVISIBLE)) {
    if (isEmojiPart(scanned, match.index, match[0])) continue;
    const cp = match[0].codePointAt(0) ?? 0;
    const key = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/**
 * The ASCII text hidden in Unicode tag characters (U+E0020–U+E007E map to ' '–'~'), or '' when
 * there is none. Attackers use it to write instructions a human reviewer cannot see.
 */
export function decodeTagText(text: string): string {
  let out = '';
  for (const ch of text.replace(FLAG_TAGS, '')) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp >= 0xe0020 && cp <= 0xe007e) out += String.fromCharCode(cp - 0xe0000);
  }
  return out;
}

/**
 * NFKC-normalise (so full-width and compatibility forms read as what they look like), then drop
 * invisible, bidi, tag and control characters. Newlines and tabs survive; CRLF becomes LF.
 */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').replace(/\r\n?/g, '\n').replace(INVISIBLE, '').replace(CONTROL, '');
}

/** Cut `text` to at most `max` characters (code points kept whole), marking the cut. */
export function capLength(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  const marker = ' […]';
  return chars.slice(0, Math.max(0, max - marker.length)).join('') + marker;
}

/**
 * Make untrusted prose safe to print in JSON, a job summary and a PR comment: normalised,
 * HTML-escaped (no tags, no comments that hide text), workflow commands (`::set-output`,
 * `::add-mask::`) defused, mentions defused, whitespace collapsed, length-capped.
 */
export function escapeProse(text: string, max: number): string {
  const escaped = normalizeText(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/::/g, ': :')
    .replace(/@(?=[A-Za-z0-9])/g, '@ ')
    .replace(/[ \t]+/g, ' ')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return capLength(escaped, max);
}
