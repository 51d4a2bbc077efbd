/**
 * The canary of the untrusted-settings tests (issue 7): a program that, when run, writes a marker
 * file. A workspace's settings.json points gpuPartitions.powershell.path at it; the extension must
 * never run it. Shared by test/unit/safety-canary.test.ts (the control: it does run when invoked)
 * and test/exthost/suite/safety.test.ts (the extension does not invoke it).
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

export interface Canary {
  /** The program (a POSIX shell script; a .cmd on Windows). */
  program: string;
  /** The file it creates when it runs. */
  marker: string;
}

export function makeCanary(dir: string): Canary {
  mkdirSync(dir, { recursive: true });
  const marker = path.join(dir, 'canary-ran.txt');
  if (process.platform === 'win32') {
    const program = path.join(dir, 'canary.cmd');
    writeFileSync(program, `@echo off\r\necho ran %* >> "${marker}"\r\n`);
    return { program, marker };
  }
  const program = path.join(dir, 'canary.sh');
  writeFileSync(program, `#!/bin/sh\necho "ran $*" >> '${marker}'\nexit 3\n`);
  chmodSync(program, 0o755);
  return { program, marker };
}
