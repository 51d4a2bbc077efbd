/**
 * `gpup` entry point (bundled to dist/cli.js). Exit codes: 0 success, 1 refused or failed,
 * 2 usage error.
 */
import { run } from './commands';
import { terminalPrompter } from './confirm';

const controller = new AbortController();
let interrupted = false;
process.on('SIGINT', () => {
  if (interrupted) {
    // Second Ctrl+C: the user insists; leave without waiting for the rollback.
    process.exit(130);
  }
  interrupted = true;
  process.stderr.write('gpup: cancelling; VMs that were running are being turned back on (Ctrl+C again to quit at once)\n');
  controller.abort();
});

run(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  signal: controller.signal,
  // A terminal to confirm changes on (issue 7); none when stdin is piped: then --yes is required.
  prompter: terminalPrompter(),
}).then((code) => {
  // exitCode (not exit()) lets piped stdout drain fully.
  process.exitCode = code;
});
