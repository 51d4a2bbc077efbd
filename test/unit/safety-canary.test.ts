/**
 * The control of the untrusted-settings test (test/exthost/suite/safety.test.ts): the canary does
 * run, and writes its marker, when it is invoked directly and when the PowerShell runner is given
 * it as its program. So "the marker was never created" there means the extension did not run it,
 * not that the canary cannot run.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PowerShellRunner } from '../../src/hyperv/runner';
import { gateBackendFactory } from '../../src/connections/trustGate';
import type { Connection } from '../../src/connections/connectionConfig';
import { makeCanary } from './safety-canary';

describe('safety: the canary program (control)', function () {
  this.timeout(90_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'gpup-canary-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes its marker when invoked directly', () => {
    const c = makeCanary(dir);
    assert.equal(existsSync(c.marker), false);
    spawnSync(c.program, ['-NoProfile'], { shell: process.platform === 'win32' });
    assert.equal(existsSync(c.marker), true);
    assert.match(readFileSync(c.marker, 'utf8'), /ran -NoProfile/);
  });

  it('writes its marker when the PowerShell runner is given it as the PowerShell path', async () => {
    const c = makeCanary(dir);
    const runner = new PowerShellRunner({ pwshPath: c.program, timeoutMs: 20_000 });
    await assert.rejects(runner.run('1', {}), /could not be started|did not answer|exited/i);
    await runner.dispose();
    assert.equal(existsSync(c.marker), true, 'the runner ran the canary');
  });

  it('a gated factory in an untrusted workspace never reaches the runner: no marker', async () => {
    const c = makeCanary(dir);
    const real: Connection = { name: 'prod', kind: 'server', computerName: 'hv01' };
    const factory = gateBackendFactory(() => {
      const runner = new PowerShellRunner({ pwshPath: c.program });
      return {
        connection: 'prod',
        inventory: async () => {
          await runner.run('1', {});
          throw new Error('unreachable');
        },
        plan: async () => { throw new Error('unreachable'); },
        execute: async () => { throw new Error('unreachable'); },
        dispose: () => void runner.dispose(),
      };
    }, () => false);
    assert.throws(() => factory(real), /trust this workspace/i);
    assert.equal(existsSync(c.marker), false);
  });
});
