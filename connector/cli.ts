import { runCli } from './cli/run';

// The `sheetgate` executable (bundled to dist/connector/cli.js with a shebang).
process.exitCode = await runCli(process.argv.slice(2), process.env);
