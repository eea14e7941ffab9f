/** What a tool is: discovery by globs, change detection, spec resolution. */
export { changedTools, groupTools, toolMatcher } from './discover.js';
export type { ChangedTool, ChangeStatus, ToolFiles } from './discover.js';
export { resolveSpec, resolveTool, sharedTestCases, specOf, toolFailure } from './spec.js';
export type { Resolution, ResolvedTool, ToolSpec } from './spec.js';
export { changedToolsBetween, changedToolsSince } from './between.js';
export { mapTree } from './tree.js';
export type { Tree } from './tree.js';
export { exampleInputs, schemaFields, synthesiseInput } from './examples.js';
export { expandArgs, planContext, stdinText } from './context.js';
export type { ContextPlan, ContextSettings } from './context.js';
export { claimedScript } from './link.js';
