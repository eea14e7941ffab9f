/**
 * What a change says it is — optimisation, bug fix, feature, refactoring, security — read from
 * the author's words: the PR title, the change summary, the commit subjects and the words a
 * changed requirement adds. Untrusted: the policy lets a parsed intent only make a verdict
 * stricter or more specific (src/verdict/policy.ts). The PR body and feature lists are not read for
 * intent: a body template ("## Performance impact") or a feature named "Caching" says nothing
 * about what the change is for. Pure.
 */
import type { Intent, IntentKind, IntentSetting } from '../verdict/policy.js';
import { normalizeText } from './sanitize.js';
import type { Claims } from '../domain/types.js';

/** Longest text read per source: intent is in the first words, not in a pasted log. */
const SOURCE_CHARS = 400;
/** Commit subjects read. */
const MAX_COMMITS = 20;

const WORDS: Readonly<Record<IntentKind, RegExp>> = {
  optimization:
    /\b(faster|quicker|speed[- ]?ups?|speeds? up|sped up|optimi[sz](?:e|es|ed|ing|ation|ations)|perf|performance|latency|throughput|efficien(?:t|tly|cy)|cach(?:e|es|ed|ing)|memoi[sz](?:e|es|ed|ing|ation)|vectori[sz](?:e|es|ed|ing|ation)|accelerat(?:e|es|ed|ing))\b/g,
  bugfix:
    /\b(fix(?:es|ed|ing)?|bug(?:s|fix)?|hotfix|correct(?:s|ed|ion|ly)?|handle[sd]?|handling|crash(?:es|ed|ing)?|edge[- ]cases?|off[- ]by[- ]one|wrong|broken|regression)\b/g,
  feature:
    /\b(feat|features?|adds?|added|adding|support(?:s|ed)?|introduce[sd]?|implement(?:s|ed)?|new option|enables?)\b/g,
  refactoring:
    /\b(refactor(?:s|ed|ing)?|clean[- ]?up|simplif(?:y|ies|ied)|restructur(?:e|ed|ing)|tidy|reorgani[sz](?:e|ed|ing))\b/g,
  security:
    /\b(security|secure|vulnerab(?:le|ility|ilities)|cve-\d{4}-\d+|injection|sanitis(?:e|ed|ing)|sanitiz(?:e|ed|ing)|xss|csrf|ssrf|harden(?:s|ed|ing)?)\b/g,
};

/** Conventional-commit prefixes: `perf:`, `fix(parser):`, `feat!:` … */
const PREFIX = /^\s*(perf|fix|feat|refactor|security|sec)(?:\([^)]{0,40}\))?!?:/;
const PREFIX_KIND: Readonly<Record<string, IntentKind>> = {
  perf: 'optimization',
  fix: 'bugfix',
  feat: 'feature',
  refactor: 'refactoring',
  security: 'security',
  sec: 'security',
};

/** A match preceded by one of these (within two words) is negated: "no performance impact". */
const NEGATION = /\b(?:no|not|without|non|zero|never)\b[\s-]+(?:\w+[\s-]+)?$/;

interface Source {
  readonly name: string;
  readonly text: string;
}

/** The texts intent is read from, each cut to SOURCE_CHARS, lower-cased and normalised. */
function intentSources(claims: Claims): Source[] {
  const out: Source[] = [];
  const add = (name: string, text: string | undefined): void => {
    if (text === undefined) return;
    const clean = normalizeText(text).slice(0, SOURCE_CHARS).toLowerCase();
    if (clean.trim() !== '') out.push({ name, text: clean });
  };
  add('title', claims.pr_title);
  add('change summary', claims.change_summary);
  (claims.commit_messages ?? []).slice(0, MAX_COMMITS).forEach((message, i) => {
    add(`commit ${i + 1}`, message.split(/\r?\n/, 1)[0]);
  });
  const before = new Set(
    normalizeText(claims.previous_requirement ?? '')
      .toLowerCase()
      .split(/[^\p{L}\p{N}-]+/u),
  );
  if (claims.previous_requirement !== undefined && claims.new_requirement !== undefined) {
    const added = normalizeText(claims.new_requirement)
      .toLowerCase()
      .split(/[^\p{L}\p{N}-]+/u)
      .filter((w) => w !== '' && !before.has(w));
    if (added.length > 0) add('requirement (added words)', added.join(' '));
  }
  return out;
}

/**
 * The intent the claims state, or null when they state none. Each word is reported as
 * `<kind> <source>: "<word>"`, the word being the matched vocabulary entry (never free text).
 */
export function detectIntent(claims: Claims): Intent | null {
  const kinds = new Set<IntentKind>();
  const words: string[] = [];
  const note = (kind: IntentKind, source: string, word: string): void => {
    kinds.add(kind);
    const entry = `${kind} ${source}: "${word.replace(/[^a-z0-9 :-]/g, '')}"`;
    if (!words.includes(entry)) words.push(entry);
  };
  for (const { name, text } of intentSources(claims)) {
    const prefix = PREFIX.exec(text);
    if (prefix !== null) note(PREFIX_KIND[prefix[1]!]!, name, `${prefix[1]}:`);
    for (const kind of Object.keys(WORDS) as IntentKind[]) {
      for (const match of text.matchAll(WORDS[kind])) {
        const before = text.slice(Math.max(0, match.index - 30), match.index);
        if (NEGATION.test(before)) continue;
        note(kind, name, match[1] ?? match[0]);
      }
    }
  }
  if (kinds.size === 0) return null;
  const order: readonly IntentKind[] = [
    'optimization',
    'bugfix',
    'security',
    'refactoring',
    'feature',
  ];
  return {
    kinds: order.filter((k) => kinds.has(k)),
    words: words.slice(0, 12),
    from: 'claims',
  };
}

/** The intent for a setting: parsed (`auto`), fixed by the repository, or none (`off`). */
export function resolveIntent(setting: IntentSetting, claims: Claims): Intent | null {
  switch (setting) {
    case 'off':
      return null;
    case 'auto':
      return detectIntent(claims);
    case 'optimization':
    case 'feature':
      return { kinds: [setting], words: [], from: 'config' };
  }
}

/** One line for reasoning and the comment: `optimization (title: "speed up"), bugfix (…)`. */
export function describeIntent(intent: Intent | null): string {
  if (intent === null) return 'none detected';
  if (intent.from === 'config') return `${intent.kinds.join(', ')} (set by the repository)`;
  return intent.kinds
    .map((kind) => {
      const from = intent.words
        .filter((w) => w.startsWith(`${kind} `))
        .slice(0, 3)
        .map((w) => w.slice(kind.length + 1));
      return `${kind} (${from.join('; ')})`;
    })
    .join(', ');
}
