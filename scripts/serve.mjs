// A small static file server for the project folder, on loopback only.
// Serves .wasm as application/wasm (needed for streaming compilation) and nothing outside the folder.
// The page at / is index.html loading the bundle (www/app.js and www/app.css, made by
// scripts/bundle.mjs); with SOURCES=1 it loads the sources instead, for development.
//   node scripts/serve.mjs            -> http://127.0.0.1:8000/
//   PORT=9000 node scripts/serve.mjs  -> another port (PORT=0 picks a free one)
//   SOURCES=1 node scripts/serve.mjs  -> the page loads www/main.js and its imports
import { createServer } from "node:http";
import { existsSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { bundledPage, bundleIsStale, pagePolicy, writeBundle } from "./bundle.mjs";

const ROOT = resolve(fileURLToPath(new URL("..", import.meta.url)));

/** Request headers up to this size are read: more than the longest link Chromium opens (2 MB),
 * so a link too long for the page reaches it, and the page says so instead of a bare 431. */
const MAX_HEADER_BYTES = 4 * 1024 * 1024;

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json; charset=utf-8",
  ".md": "text/markdown; charset=utf-8",
};

/** Resolves a URL path to a file inside ROOT, or null if it would leave it. */
function fileFor(urlPath) {
  const decoded = decodeURIComponent(urlPath.split("?")[0]);
  const path = normalize(join(ROOT, decoded));
  if (path !== ROOT && !path.startsWith(ROOT + sep)) return null;
  return path;
}

const INDEX = join(ROOT, "index.html");

export function startServer(port = Number(process.env.PORT ?? 8000), host = "127.0.0.1", { sources = process.env.SOURCES === "1" } = {}) {
  if (!existsSync(join(ROOT, "www", "pkg", "backprop_lab.js"))) {
    return Promise.reject(new Error("www/pkg is missing: run `make build` first"));
  }
  // A source edited since the last build: bundle again, so the page served is the code on disk.
  const ready = !sources && bundleIsStale() ? writeBundle() : Promise.resolve();
  return ready.then(() => listen(port, host, sources));
}

function listen(port, host, sources) {
  const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, async (request, response) => {
    try {
      let path = fileFor(new URL(request.url, "http://localhost").pathname);
      if (path === null) throw Object.assign(new Error("outside root"), { code: "ENOENT" });
      if ((await stat(path)).isDirectory()) path = join(path, "index.html");
      let body = await readFile(path);
      if (path === INDEX && !sources) body = Buffer.from(bundledPage(body.toString("utf8")));
      const type = TYPES[extname(path)] ?? "application/octet-stream";
      response.writeHead(200, {
        "Content-Type": type,
        "Cache-Control": "no-cache",
        // The page's policy, from its meta tag, as a header too.
        ...(path === INDEX ? { "Content-Security-Policy": pagePolicy(body.toString("utf8")) } : {}),
      });
      response.end(body);
    } catch (error) {
      const missing = error.code === "ENOENT" || error.code === "EISDIR" || error.code === "ENOTDIR";
      response.writeHead(missing ? 404 : 500, { "Content-Type": "text/plain; charset=utf-8" });
      response.end(missing ? "not found\n" : "server error\n");
    }
  });
  return new Promise((done, fail) => {
    server.once("error", fail);
    server.listen(port, host, () => done(server));
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const server = await startServer().catch((error) => {
    console.error(`could not serve on port ${process.env.PORT ?? 8000}: ${error.message}`);
    if (error.code === "EADDRINUSE") console.error("set PORT to another port, for example: PORT=8001 make run");
    process.exit(1);
  });
  const { port } = server.address();
  const what = process.env.SOURCES === "1" ? " (loading the sources)" : "";
  console.log(`Backprop Lab is running at http://127.0.0.1:${port}/${what}  (Ctrl+C stops it)`);
}
