/** The package's version; test/unit/cli-polish.test.ts keeps it equal to package.json's. */
export const VERSION = '1.0.0';
