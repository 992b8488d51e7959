import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import pkg from "../../package.json" with { type: "json" };
import { SECRET_FILE } from "../auth/secret.ts";
import type { Config } from "../config/schema.ts";
import { checkDatabase, snapshotDatabase } from "../storage/sqlite/snapshot.ts";
import { dataPaths } from "./paths.ts";

/** What `backup.json` inside an archive says. */
export interface BackupManifest {
  format: 1;
  agentdVersion: string;
  createdAt: string;
  files: string[];
}

const MANIFEST = "backup.json";
/** The database files and a table each must have. */
const DATABASES = ["agentd.db", "checkpoints.db"] as const;
const REQUIRED_TABLE: Record<string, string> = { "agentd.db": "users", "checkpoints.db": "checkpoints" };

/**
 * `agentd backup`: a consistent online copy of both SQLite databases (and the generated JWT
 * secret, so sessions survive a restore) in one gzip'd tar file, written with mode 0600 and
 * renamed into place only when complete. Safe while agentd serves. Returns the manifest.
 */
export async function createBackup(config: Config, out: string): Promise<BackupManifest> {
  const paths = dataPaths(config);
  for (const file of DATABASES) {
    if (!existsSync(join(paths.dir, file))) throw new Error(`${join(paths.dir, file)} does not exist: is data_dir right?`);
  }
  const work = mkdtempSync(join(tmpdir(), "agentd-backup-"));
  try {
    const entries: Record<string, Uint8Array> = {};
    // The app database first: a reply is checkpointed before its task is marked done, so every
    // reply the app snapshot holds as done is also in the later checkpoints snapshot.
    for (const file of DATABASES) {
      snapshotDatabase(join(paths.dir, file), join(work, file));
      entries[file] = await Bun.file(join(work, file)).bytes();
    }
    const secret = join(paths.dir, SECRET_FILE);
    if (existsSync(secret)) entries[SECRET_FILE] = readFileSync(secret);
    const manifest: BackupManifest = { format: 1, agentdVersion: pkg.version, createdAt: new Date().toISOString(), files: Object.keys(entries) };
    mkdirSync(dirname(out), { recursive: true });
    const partial = join(dirname(out), `.${basename(out)}.partial`);
    await Bun.write(partial, "");
    chmodSync(partial, 0o600);
    await Bun.write(partial, await new Bun.Archive({ ...entries, [MANIFEST]: JSON.stringify(manifest, null, 2) }, { compress: "gzip" }).bytes());
    renameSync(partial, out);
    return manifest;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * `agentd restore`: checks every database in the archive, then puts it in data_dir. agentd must
 * be stopped. Existing data is refused unless `force`, and then moved aside into
 * `data_dir/pre-restore-<time>/`, never deleted. Returns where the old data went, if anywhere.
 */
export async function restoreBackup(config: Config, from: string, options: { force: boolean }): Promise<{ manifest: BackupManifest; movedTo?: string }> {
  const archive = new Bun.Archive(await Bun.file(from).bytes());
  const files = await archive.files();
  const manifestFile = files.get(MANIFEST);
  if (!manifestFile) throw new Error(`${from} is not an agentd backup (it has no ${MANIFEST})`);
  const manifest = JSON.parse(await manifestFile.text()) as BackupManifest;
  if (manifest.format !== 1) throw new Error(`${from} has backup format ${manifest.format}; this agentd reads format 1`);

  const paths = dataPaths(config);
  mkdirSync(paths.dir, { recursive: true });
  // Staged beside the data, so the final moves are renames on one file system.
  const staging = mkdtempSync(join(paths.dir, ".restore-"));
  try {
    for (const name of DATABASES) if (!manifest.files.includes(name)) throw new Error(`${from} is damaged: it has no ${name}`);
    for (const name of manifest.files) {
      const file = files.get(name);
      if (!file || basename(name) !== name) throw new Error(`${from} is damaged: ${name} is missing`);
      await Bun.write(join(staging, name), file);
      if (REQUIRED_TABLE[name]) {
        const problem = checkDatabase(join(staging, name), REQUIRED_TABLE[name]);
        if (problem) throw new Error(`${from} is damaged: ${name} fails its integrity check (${problem})`);
      }
    }
    const present = [...DATABASES, SECRET_FILE].flatMap((name) => [name, `${name}-wal`, `${name}-shm`]).filter((name) => existsSync(join(paths.dir, name)));
    let movedTo: string | undefined;
    if (present.length > 0) {
      if (!options.force) throw new Error(`${paths.dir} already holds data (${present.join(", ")}); stop agentd and add --force to move it aside`);
      movedTo = join(paths.dir, `pre-restore-${new Date().toISOString().replace(/[:.]/g, "-")}`);
      mkdirSync(movedTo, { recursive: true });
      for (const name of present) renameSync(join(paths.dir, name), join(movedTo, name));
    }
    for (const name of manifest.files) {
      renameSync(join(staging, name), join(paths.dir, name));
      chmodSync(join(paths.dir, name), 0o600);
    }
    return { manifest, movedTo };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
