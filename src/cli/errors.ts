/** A refused or failed operation: exit code 1, message on stderr saying why and what to do. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}
