/** What a tool is: discovery by globs, change detection, spec resolution. */
export { changedTools, classify, groupTools, toolIds, toolMatcher } from './discover.js';
export type { ChangedTool, ChangeStatus, Matcher, ToolFiles } from './discover.js';
export { DEFINITION_TYPES, resolveSpec, resolveTool, SpecError } from './spec.js';
export type {
  DefinitionSpec,
  ExecutableSpec,
  ResolvedTool,
  SpecDefaults,
  ToolSpec,
} from './spec.js';
export { changedToolsBetween } from './between.js';
export type { ChangedBetween } from './between.js';
export { mapTree } from './tree.js';
export type { FileChange, Tree } from './tree.js';
export {
  exampleInput,
  exampleInputs,
  schemaFields,
  synthesiseInput,
  testInputOf,
} from './examples.js';
export type { SchemaField } from './examples.js';
export { defaultWorkingDirectory, expandArgs, planContext } from './context.js';
export type { ContextPlan, ContextSettings } from './context.js';
export { claimedScript, linkScripts } from './link.js';
