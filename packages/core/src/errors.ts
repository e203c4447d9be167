/**
 * An error the user can cause and fix (bad config, bad data file, bad value). The CLI prints its
 * message, never a stack trace, and exits with `exitCode`.
 */
export class UserError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 2) {
    super(message);
    this.name = "UserError";
    this.exitCode = exitCode;
  }
}
