/**
 * The terminal confirmation of `gpup set-count | assign | unassign` (issue 7, "Confirmations and
 * what-if"): before anything changes, the plan is shown (the VMs that will be turned off and on
 * again, the GPUs that change, every item) and the user answers y/N. Without a terminal (stdin is
 * not a TTY: a script, a pipe, CI) there is nobody to ask, so the command needs `--yes` and stops
 * with exit code 2 otherwise. `--what-if` never asks: it changes nothing.
 * No `vscode` import.
 */
import { createInterface } from 'node:readline';
import type { OperationPlan } from '../model/types';

/** Asks one question on a terminal; the CLI passes none when stdin is not a TTY. */
export interface Prompter {
  ask(question: string): Promise<string>;
}

export type ConfirmAnswer = 'yes' | 'no' | 'need-yes';

/** The message of the exit-2 stop when there is no terminal to ask on. */
export const NEED_YES_MESSAGE =
  'This command changes the cluster and there is no terminal to confirm on (stdin is not a TTY). Pass --yes to run it without asking, or --what-if to see the plan.';

/** What the prompt shows before the question: what turns off, what changes, every item. */
export function confirmationText(plan: OperationPlan): string {
  const lines: string[] = [];
  if (plan.vmsPowerCycled.length > 0) {
    lines.push('These running VMs will be turned off and on again:');
    for (const v of plan.vmsPowerCycled) lines.push(`  ${v.server}/${v.vm}`);
  }
  if (plan.gpusChanged.length > 0) {
    lines.push(plan.request.kind === 'set-count' ? `These GPUs change to ${plan.request.count} partitions:` : 'These GPUs change:');
    for (const g of plan.gpusChanged) lines.push(`  ${g.server}: ${g.gpu}`);
  }
  lines.push('Changes:');
  for (const item of plan.items) {
    lines.push(`  ${item.server}/${item.target}: ${item.steps.map((s) => s.action).join(', ')}`);
  }
  for (const r of plan.refusals) lines.push(`  skipped ${r.server}/${r.target}: ${r.message}`);
  return lines.join('\n') + '\n';
}

export function confirmationQuestion(plan: OperationPlan): string {
  return plan.vmsPowerCycled.length > 0 ? 'Turn off and restart these VMs? [y/N] ' : 'Apply these changes? [y/N] ';
}

/**
 * Decides whether a mutation may run: `--yes` runs; with a terminal the user is asked (only "y" or
 * "yes" runs); without one the answer is 'need-yes'.
 */
export async function confirmPlan(plan: OperationPlan, options: { yes: boolean; prompter?: Prompter; write: (text: string) => void }): Promise<ConfirmAnswer> {
  if (options.yes) return 'yes';
  if (!options.prompter) return 'need-yes';
  options.write(confirmationText(plan));
  const answer = (await options.prompter.ask(confirmationQuestion(plan))).trim().toLowerCase();
  return answer === 'y' || answer === 'yes' ? 'yes' : 'no';
}

/** A prompter on the process's terminal (stdin, question on stderr so stdout stays clean); undefined when stdin is not a TTY. */
export function terminalPrompter(stdin: NodeJS.ReadStream = process.stdin, stderr: NodeJS.WriteStream = process.stderr): Prompter | undefined {
  if (!stdin.isTTY) return undefined;
  return {
    ask: (question) =>
      new Promise((resolve) => {
        const rl = createInterface({ input: stdin, output: stderr, terminal: true });
        let answered = false;
        rl.question(question, (a) => {
          answered = true;
          rl.close();
          resolve(a);
        });
        // Ctrl+D / closed terminal: no.
        rl.on('close', () => {
          if (!answered) resolve('');
        });
      }),
  };
}
