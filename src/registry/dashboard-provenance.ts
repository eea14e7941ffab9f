/**
 * Where a recorded version came from, for the dashboard's annotations: record mode stamps the
 * versions it appended with the pushed commit, the pull request the commit's message names, and
 * — for a REVIEW or REJECT, which reached the branch anyway — who pushed it there. Pure.
 */
import type { RegistryEntry } from './schema.js';

export interface Provenance {
  /** The push's head commit. */
  readonly commit: string;
  /** The head commit's message, as the push payload gives it. */
  readonly message: string;
  /** The push's sender: who merged or pushed the commit onto the branch. */
  readonly pushedBy: string | null;
}

/**
 * The pull request a commit message names, as GitHub writes them: a merge commit
 * (`Merge pull request #12 from owner/branch`, the PR's title on the third line) or a squash
 * commit (`Title (#12)` on the first line). Null for any other message.
 */
export function pullRequestOf(message: string): { number: number; title: string } | null {
  const lines = message.split('\n');
  const subject = lines[0]?.trim() ?? '';
  const merge = /^Merge pull request #(\d+) from \S+$/.exec(subject);
  if (merge !== null) return { number: Number(merge[1]), title: (lines[2] ?? '').trim() };
  const squash = /^(.*\S)\s+\(#(\d+)\)$/.exec(subject);
  if (squash !== null) return { number: Number(squash[2]), title: squash[1]! };
  return null;
}

/**
 * The entry with `version`'s records that have no commit yet (the ones this run appended)
 * stamped with the commit, the pull request, and who accepted a REVIEW or REJECT.
 */
export function stampProvenance(
  entry: RegistryEntry,
  version: string,
  provenance: Provenance,
): RegistryEntry {
  const pr = pullRequestOf(provenance.message);
  const versions = (entry.versions ?? []).map((record) => {
    if (record.version !== version || record.commit !== undefined) return record;
    const overruled = record.verdict === 'REVIEW' || record.verdict === 'REJECT';
    return {
      ...record,
      commit: provenance.commit,
      ...(pr === null ? {} : { pull_request: pr }),
      ...(overruled && provenance.pushedBy !== null ? { accepted_by: provenance.pushedBy } : {}),
    };
  });
  return { ...entry, versions };
}
