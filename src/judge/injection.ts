/**
 * Prompt-injection detection in untrusted text: the new version's code (comments, strings,
 * identifiers, docstrings) and the author's claims (requirement text, feature lists). A finding
 * never changes the measured evidence; it caps the verdict at REVIEW so a human looks. Pure.
 */
import { decodeTagText, findInvisible, normalizeText } from './sanitize.js';

/** One piece of untrusted text and where it came from, e.g. `new_code`, `feature_additions[0]`. */
export interface UntrustedText {
  readonly source: string;
  readonly text: string;
}

interface Pattern {
  readonly name: string;
  readonly regex: RegExp;
}

/**
 * Instructions aimed at a reviewer or a model. They are matched on a normalised view of the
 * text where identifiers are split into words (`ignorePreviousInstructions`,
 * `IGNORE_PREVIOUS_INSTRUCTIONS` read as "ignore previous instructions") and case is folded.
 * Phrases are chosen so ordinary code (`score = 100` in a scoring tool, "act as a proxy") does
 * not match: each needs an imperative aimed at the reader or a chat-template token.
 */
const PATTERNS: readonly Pattern[] = [
  {
    name: 'instruction override',
    regex:
      /\b(ignore|disregard|forget|override|bypass|skip)\s+(all\s+|any\s+|the\s+|your\s+|of\s+|everything\s+)*(previous|prior|above|earlier|preceding|system|original|existing|former)\s+(instructions?|prompts?|rules|directions|guidelines|context|messages?|constraints)\b/,
  },
  {
    name: 'instruction override',
    regex:
      /\b(ignore|disregard|forget)\s+(all\s+|any\s+)?(your|the)\s+(instructions|rules|guidelines|system prompt)\b/,
  },
  { name: 'new instructions', regex: /\b(new|updated|real|actual)\s+instructions?\s*:/ },
  { name: 'role reassignment', regex: /\byou\s+are\s+now\b|\bfrom\s+now\s+on\s*,?\s+you\b/ },
  {
    name: 'role reassignment',
    regex:
      /\b(pretend|imagine)\s+(that\s+)?you\s+are\b|\bact\s+as\s+(the|a|an)\s+(reviewer|judge|evaluator|grader|system)\b/,
  },
  { name: 'system prompt reference', regex: /\b(system|developer)\s+prompt\b/ },
  {
    name: 'score directive',
    regex:
      /\b(give|assign|set|return|output|respond\s+with|reply\s+with|rate|grade|award|make)\b[^\n]{0,40}\b(score|rating|grade|points?)\b[^\n]{0,20}\b(100|9[0-9]|8[0-9])\b/,
  },
  { name: 'score directive', regex: /"score"\s*:\s*100\b|\bscore\s+(of\s+)?100\b/ },
  {
    name: 'verdict directive',
    regex:
      /\b(recommendation|verdict|decision)\s*(is|=|:|should\s+be|must\s+be)\s*"?(accept|approve)/,
  },
  {
    name: 'verdict directive',
    regex:
      /\b(please|you\s+(must|should|will))\s+(accept|approve)\b|\b(always\s+)?(accept|approve)\s+(this|the)\s+(change|pr|pull\s+request|version|regression|slowdown)\b/,
  },
  {
    name: 'verdict directive',
    regex:
      /\b(do\s+not|don't|never)\s+(reject|flag|penalize|penalise)\s+(this|the)\s+(change|pr|pull\s+request|version|regression|slowdown)\b|\b(mark|treat|classify)\s+(this|it)\s+as\s+(accepted|approved|safe|justified)\b/,
  },
  {
    name: 'reviewer address',
    regex:
      /\b(note|message|attention|instructions?)\s+(to|for)\s+(the\s+)?(ai|llm|model|reviewer|evaluator|judge|grader|assistant|language\s+model)\b/,
  },
  {
    name: 'reviewer address',
    regex:
      /\b(dear|hey|hi)\s+(ai|llm|model|reviewer|evaluator|judge|assistant)\b|\b(ai|llm)\s+(reviewer|evaluator|judge|grader)s?\s*[:,]/,
  },
  {
    name: 'pre-approval claim',
    regex:
      /\b(pre-?approved|already\s+approved|approved\s+by\s+(the\s+)?(maintainers?|admin|security\s+team|lead))\b/,
  },
];

/** Chat-template and role tokens; matched on the raw normalised text, case-insensitive. */
const ROLE_TAGS: readonly RegExp[] = [
  /<\|\s*(im_start|im_end|im_sep|system|user|assistant|endoftext|eot_id|start_header_id|end_header_id|begin_of_text)\s*\|>/i,
  /\[\/?INST\]/,
  /<<\/?SYS>>/,
  /<\/?\s*(system|instructions?|assistant|user|prompt)\s*>/i,
  // Within one line ([ \t], not \s): `^\s*` under /m spans blank lines, cubic on a run of them.
  /^[ \t]*(#{1,3}|\/\/|#|\*|--)?[ \t]*(###[ \t]*)?(system|assistant)[ \t]*(message|prompt)?[ \t]*:[ \t]*\S/im,
  /\bsystem\s*override\b/i,
];

/** Words of an identifier: camelCase, PascalCase, snake_case, kebab-case, digits. */
function identifierWords(text: string): string {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/[_\-$.]+/g, ' ')
    .replace(/([a-zA-Z])(\d)/g, '$1 $2');
}

/** A case-folded view where identifiers are words and punctuation runs are spaces (keeps `"`, `:`, `=`, `/`, newlines). */
function wordView(text: string): string {
  return identifierWords(text)
    .toLowerCase()
    .replace(/[^\p{L}\p{N}"':=/!.,\n<>|[\]-]+/gu, ' ');
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function excerpt(match: string): string {
  const one = match.replace(/\s+/g, ' ').trim();
  return one.length > 60 ? `${one.slice(0, 57)}...` : one;
}

/** Findings in one piece of text, each a short line naming what and where. */
function scanOne(item: UntrustedText): string[] {
  const findings: string[] = [];
  const raw = item.text;

  const invisible = findInvisible(raw);
  if (invisible.size > 0) {
    const list = [...invisible.entries()].map(([cp, n]) => (n > 1 ? `${cp}×${n}` : cp)).join(', ');
    findings.push(`invisible characters (${list}) in ${item.source}`);
  }
  const hidden = decodeTagText(raw).trim();
  if (hidden !== '')
    findings.push(`Unicode tag characters hide text '${excerpt(hidden)}' in ${item.source}`);

  // Hidden tag text is scanned too, as if it were visible.
  const visible = normalizeText(raw);
  const views = hidden === '' ? [visible] : [visible, hidden];
  const seen = new Set<string>();
  for (const view of views) {
    for (const tag of ROLE_TAGS) {
      const m = tag.exec(view);
      if (m !== null) {
        const key = `role tag|${m[0]}`;
        if (!seen.has(key)) {
          seen.add(key);
          findings.push(
            `role tag '${excerpt(m[0])}' in ${item.source}${view === visible ? ` line ${lineOf(view, m.index)}` : ' (hidden)'}`,
          );
        }
      }
    }
    const words = wordView(view);
    for (const pattern of PATTERNS) {
      const m = pattern.regex.exec(words);
      if (m === null || seen.has(pattern.name)) continue;
      seen.add(pattern.name);
      findings.push(`${pattern.name} '${excerpt(m[0])}' in ${item.source}`);
    }
  }
  return findings;
}

/**
 * Scan untrusted texts for instructions aimed at the reviewer: instruction overrides, role
 * reassignment, score or verdict directives, chat-template role tags, invisible characters and
 * hidden Unicode-tag text. Returns one finding per line; empty when nothing was found.
 */
export function detectInjection(texts: readonly UntrustedText[]): string[] {
  return texts.flatMap(scanOne);
}
