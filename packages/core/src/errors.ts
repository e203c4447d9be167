/**
 * An error the user can cause and fix (bad config, bad data file, bad value). The CLI prints its
 * message, never a stack trace, and exits with `exitCode`. `path` names the config key at fault
 * (e.g. "data.train_size") so the CLI can point at its YAML line:column.
 */
export class UserError extends Error {
  readonly exitCode: number;
  readonly path: string | undefined;
  constructor(message: string, exitCode = 2, path?: string) {
    super(message);
    this.name = "UserError";
    this.exitCode = exitCode;
    this.path = path;
  }
}
