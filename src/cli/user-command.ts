import { openAppStore } from "../app/app-store.ts";
import { generatePassword, hashPassword } from "../auth/passwords.ts";
import { AppError } from "../errors.ts";
import { extractConfigFlag, loadConfigOrReport, type CommandIo } from "./config-command.ts";

const USAGE = `Usage: agentd user <command> [--config FILE]

Commands:
  add NAME [--admin] [--password-stdin]   Create an account. Without --password-stdin a strong
                                          password is generated and printed once.
  passwd NAME [--password-stdin]          Set a new password (generated when not given); ends the user's sessions.
  disable NAME                            Refuse the user's logins and end their sessions.
  enable NAME                             Allow a disabled user to log in again.
  list                                    List accounts.
`;

export interface UserCommandIo extends CommandIo {
  readStdin: () => Promise<string>;
}

const MIN_PASSWORD = 8;
const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

/** `agentd user …`. Returns the exit status: 0 ok, 1 failed (e.g. unknown user), 2 usage error. */
export async function runUserCommand(args: string[], io: UserCommandIo): Promise<number> {
  const flag = extractConfigFlag(args);
  if ("error" in flag) return usage(io, flag.error);
  const words = flag.rest.filter((arg) => !arg.startsWith("--"));
  const options = new Set(flag.rest.filter((arg) => arg.startsWith("--")));
  const [command, name, ...extra] = words;
  if (!command || options.has("--help") || command === "help") return (io.stdout(USAGE), command ? 0 : 2);
  const allowed: Record<string, string[]> = { add: ["--admin", "--password-stdin"], passwd: ["--password-stdin"], disable: [], enable: [], list: [] };
  if (!(command in allowed)) return usage(io, `unknown command "${command}"`);
  const badOption = [...options].find((option) => !allowed[command]!.includes(option));
  if (badOption) return usage(io, `unknown option "${badOption}" for "${command}"`);
  if (extra.length > 0 || (command === "list") !== (name === undefined)) return usage(io, `wrong arguments for "${command}"`);

  const loaded = await loadConfigOrReport({ configPath: flag.configPath, env: io.env, cwd: io.cwd }, io);
  if (!loaded) return 2;
  let store;
  try {
    store = await openAppStore(loaded.config);
  } catch (error) {
    if (error instanceof AppError) return fail(io, error.message);
    throw error;
  }
  try {
    if (command === "list") {
      for (const user of await store.users.list()) {
        io.stdout(`${user.username}\t${user.role}\t${user.active ? "active" : "disabled"}\t${user.createdAt}\n`);
      }
      return 0;
    }
    if (command === "add") {
      if (!USERNAME.test(name!)) return fail(io, "a username is 1-64 letters, digits, or . _ @ - and starts with a letter or digit");
      const password = await passwordFrom(options, io);
      const role = options.has("--admin") ? "admin" : "user";
      await store.users.create({ username: name!, passwordHash: await hashPassword(password.value), role });
      io.stdout(`created ${role} "${name}"${password.generated ? `\npassword: ${password.value}` : ""}\n`);
      return 0;
    }
    const user = await store.users.findByUsername(name!);
    if (!user) return fail(io, `there is no user "${name}"`);
    if (command === "passwd") {
      const password = await passwordFrom(options, io);
      await store.users.setPasswordHash(user.id, await hashPassword(password.value));
      await store.sessions.revokeAllForUser(user.id);
      io.stdout(`password changed for "${name}"${password.generated ? `\npassword: ${password.value}` : ""}\n`);
    } else {
      await store.users.setActive(user.id, command === "enable");
      if (command === "disable") await store.sessions.revokeAllForUser(user.id);
      io.stdout(`${command}d "${name}"\n`);
    }
    return 0;
  } catch (error) {
    if (error instanceof AppError) return fail(io, error.message);
    throw error;
  } finally {
    await store.close();
  }
}

async function passwordFrom(options: Set<string>, io: UserCommandIo): Promise<{ value: string; generated: boolean }> {
  if (!options.has("--password-stdin")) return { value: generatePassword(), generated: true };
  const value = (await io.readStdin()).replace(/\r?\n$/, "");
  if ([...value].length < MIN_PASSWORD) throw new AppError("bad_request", `the password must be at least ${MIN_PASSWORD} characters`);
  return { value, generated: false };
}

function usage(io: CommandIo, problem: string): number {
  io.stderr(`agentd user: ${problem}\n\n${USAGE}`);
  return 2;
}

function fail(io: CommandIo, problem: string): number {
  io.stderr(`agentd user: ${problem}\n`);
  return 1;
}
