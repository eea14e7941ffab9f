/** Once per test run, before any test file: what every e2e file would otherwise look up itself. */
import type { TestProject } from 'vitest/node';
import { findNode24 } from './helpers/node24.js';

export default function setup(project: TestProject): void {
  // `npx -p node@24` costs about a second a call; the e2e files all need the same binary.
  project.provide('node24', findNode24());
}
