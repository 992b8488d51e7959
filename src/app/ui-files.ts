import type { HTMLBundle } from "bun";
import { basename, join } from "node:path";
import type { StaticFile } from "../http/static-files.ts";

/** Bun names every built file but the page `name-<8 character hash>.ext`. */
const HASHED = /-[a-z0-9]{8}\.[a-z0-9]+$/;

let fromSource: Promise<StaticFile[]> | undefined;

/**
 * The built web UI. In the compiled binary, `bun build --compile` has already bundled the page
 * (`bundle.files`, embedded in the executable). From source, the page is bundled here, once per
 * process and in memory, the same way (minified, production Preact), so a fresh clone serves the
 * UI without a prior build.
 */
export async function loadUiFiles(bundle: HTMLBundle): Promise<StaticFile[]> {
  if (bundle.files?.length) {
    return Promise.all(
      bundle.files.map(async (file) => {
        const name = basename(file.path);
        const isPage = file.loader === "html";
        return {
          urlPath: isPage ? "/index.html" : `/${name}`,
          contentType: file.headers["content-type"],
          body: await Bun.file(file.path).bytes(),
          immutable: !isPage && HASHED.test(name),
        };
      }),
    );
  }
  fromSource ??= buildFromSource(bundle.index);
  return fromSource;
}

async function buildFromSource(index: string): Promise<StaticFile[]> {
  const result = await Bun.build({
    entrypoints: [index],
    minify: true,
    define: { "process.env.NODE_ENV": JSON.stringify("production") },
  });
  if (!result.success) throw new AggregateError(result.logs, `could not bundle the web UI (${join("ui", basename(index))})`);
  return Promise.all(
    result.outputs.map(async (output) => {
      const name = basename(output.path);
      const isPage = name.endsWith(".html");
      return {
        urlPath: isPage ? "/index.html" : `/${name}`,
        contentType: output.type,
        body: new Uint8Array(await output.arrayBuffer()),
        immutable: !isPage && HASHED.test(name),
      };
    }),
  );
}
