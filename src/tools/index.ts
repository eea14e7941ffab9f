/** What a tool is: discovery by globs, change detection, spec resolution. */
export { changedTools, classify, groupTools, toolIds, toolMatcher } from './discover.js';
export type { ChangedTool, ChangeStatus, Matcher, ToolFiles } from './discover.js';
export { resolveSpec, SpecError } from './spec.js';
export type { SpecDefaults, ToolSpec } from './spec.js';
export { mapTree } from './tree.js';
export type { FileChange, Tree } from './tree.js';
