// The SCORM 1.2 package of `make dist`, as a learning platform runs it: the zip read back
// (headers and CRC-32s), imsmanifest.xml parsed and its required elements checked, and the
// package unzipped and launched in a frame of a host page whose window.API is a real SCORM 1.2
// runtime (scorm-again), on one loopback origin. A student solves two exercises with one named
// mistake on the way; the test reads what the runtime recorded, opens the attempt again from
// its suspend_data, and tries runtimes that refuse or throw, a frame from another origin and
// no platform at all.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { dirname, extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import * as zlib from "node:zlib";
import { chromium } from "playwright-core";
import { chromiumArgs, chromiumPath, SCREENSHOTS } from "./harness.mjs";
import { crc32, unzip } from "../../scripts/zip.mjs";
import { cmiIdentifier, cmiString, MAX_SUSPEND, readSuspend, writeSuspend } from "../../www/scorm.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm", ".svg": "image/svg+xml", ".xml": "application/xml" };

let folder;
let servers = [];
let browser;
/** Three packages: the default launch (every exercise), one launching the five exercises of
 * worksheet 2 (q= with a list) and one launching exercise 2b alone. */
const packages = {};

/** A static server for `folder` on a free loopback port; resolves to its origin. `types`
 * overrides content types (a platform may not know .wasm). */
function serve(root, types = {}) {
  const server = createServer((request, response) => {
    const path = normalize(join(root, decodeURIComponent(new URL(request.url, "http://x").pathname)));
    if (!path.startsWith(root + sep)) {
      response.writeHead(404).end();
      return;
    }
    try {
      const body = readFileSync(path);
      response.writeHead(200, { "content-type": types[extname(path)] ?? TYPES[extname(path)] ?? "application/octet-stream" }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  servers.push(server);
  return new Promise((done) => server.listen(0, "127.0.0.1", () => done(`http://127.0.0.1:${server.address().port}`)));
}

/** Builds the package with `launch` (through scripts/dist.mjs) and unzips it under folder/name. */
function buildPackage(name, launch) {
  const out = join(folder, `dist-${name}`);
  execFileSync(process.execPath, [join(ROOT, "scripts/dist.mjs")], { env: { ...process.env, DIST_DIR: out, SCORM_LAUNCH: launch }, stdio: "pipe" });
  const archive = readFileSync(join(out, "backprop-lab-scorm.zip"));
  const files = unzip(archive);
  for (const file of files) {
    const path = join(folder, name, file.name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.data);
  }
  const manifest = files.find((f) => f.name === "imsmanifest.xml").data.toString("utf8");
  const href = manifest.match(/adlcp:scormtype="sco" href="([^"]+)"/)[1].replace(/&amp;/g, "&");
  return { archive, files, manifest, href, path: join(out, "backprop-lab-scorm.zip") };
}

let origin;
let otherOrigin;
let plainOrigin;
before(async () => {
  folder = mkdtempSync(join(tmpdir(), "backprop-lab-scorm-"));
  packages.all = buildPackage("all", "?panel=practice&embed=1");
  packages.two = buildPackage("two", "?panel=practice&embed=1&q=2a,local,2b,2c,2d");
  packages.one = buildPackage("one", "?panel=practice&embed=1&q=2b");
  mkdirSync(join(folder, "host"));
  copyFileSync(join(ROOT, "tests/browser/scorm-host.html"), join(folder, "host/index.html"));
  copyFileSync(join(ROOT, "tests/browser/scorm-host.js"), join(folder, "host/scorm-host.js"));
  copyFileSync(join(ROOT, "node_modules/scorm-again/dist/scorm12.js"), join(folder, "host/scorm12.js"));
  origin = await serve(folder);
  otherOrigin = await serve(folder); // another port: another origin
  plainOrigin = await serve(folder, { ".wasm": "application/octet-stream" });
  browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs() });
  mkdirSync(SCREENSHOTS, { recursive: true });
});
after(async () => {
  await browser?.close();
  await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
  if (folder) rmSync(folder, { recursive: true, force: true });
});

/** Opens the host page (`mode` real, false or throw) launching package `name`; returns { page, frame }. */
async function launch(name, { mode = "real", resume = null, context = null, width = 1280, query = null, at = origin } = {}) {
  context ??= await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  page.problems = [];
  page.on("pageerror", (error) => page.problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") page.problems.push(`console error: ${message.text()}`);
  });
  page.on("response", (response) => {
    if (response.status() >= 400) page.problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  page.on("request", (request) => {
    if (!request.url().startsWith(at) && !request.url().startsWith("data:") && !request.url().startsWith("blob:")) page.problems.push(`request elsewhere: ${request.url()}`);
  });
  const href = query ? `index.html${query}` : packages[name].href;
  const params = new URLSearchParams({ mode, launch: `../${name}/${href}` });
  if (resume) params.set("resume", JSON.stringify(resume));
  await page.goto(`${at}/host/index.html?${params}`);
  const frame = page.frameLocator("#sco");
  const inner = await (await page.waitForSelector("#sco")).contentFrame();
  await inner.waitForFunction(() => window.backpropLab?.ready === true, null, { timeout: 20_000 });
  return { page, frame, inner, context };
}

/** Types an answer into the box labelled "∂L/∂… =" inside the frame and checks it; returns the feedback. */
async function answer(frame, label, text) {
  const box = frame.getByLabel(`${label} =`, { exact: true });
  await box.fill(text);
  await frame.getByRole("button", { name: `Check ${label}`, exact: true }).click();
  return box.locator("xpath=ancestor::div[contains(@class,'answer-part')]").locator(".feedback").textContent();
}

/** What the runtime holds, as it would send it to the platform's server (its JSON export). */
function recorded(page) {
  return page.evaluate(() => {
    const { cmi } = window.runtime.renderCMIToJSONObject(window.runtime.cmi, true);
    const list = (value) => (Array.isArray(value) ? value : Object.values(value ?? {}));
    return {
      raw: cmi.core.score.raw, min: cmi.core.score.min, max: cmi.core.score.max,
      status: cmi.core.lesson_status, exit: cmi.core.exit, sessionTime: cmi.core.session_time,
      suspend: cmi.suspend_data,
      interactions: list(cmi.interactions).map((i) => ({
        id: i.id, type: i.type, result: i.result, response: i.student_response,
        objectives: list(i.objectives).map((o) => o.id),
      })),
      calls: window.calls.map((c) => c.name),
    };
  });
}

test("values stay within SCORM 1.2's types: CMIString255, CMIIdentifier, suspend_data's 4,096 characters", () => {
  // Control characters and unpaired surrogates go; a character is never cut in two.
  assert.equal(cmiString("a\u0000b\nc\u0085d\ud800e"), "abcde");
  const emoji = `${"x".repeat(254)}😀`;
  assert.equal(cmiString(emoji), "x".repeat(254), "a pair that would end at 256 is left out whole");
  assert.equal(cmiString(`${"σ".repeat(300)}`).length, 255);
  assert.equal(cmiIdentifier("2d.count:derivatives"), "2d.count-derivatives");
  assert.equal(cmiIdentifier("a b\u00e9"), "a-b-");
  assert.match(cmiIdentifier("x".repeat(400)), /^x{255}$/);
  // Progress round-trips; far too much is cut to fit, keeping what fits.
  assert.deepEqual(readSuspend(writeSuspend(["db", "count:derivatives"], true)), { parts: ["db", "count:derivatives"], reached: true });
  const many = Array.from({ length: 900 }, (_, i) => `p${i}`);
  const text = writeSuspend(many, false);
  assert.ok(text.length <= MAX_SUSPEND && text.length > MAX_SUSPEND - 20, String(text.length));
  assert.deepEqual(readSuspend(text).parts, many.slice(0, readSuspend(text).parts.length));
  // Anything else in suspend_data is not ours: nothing is restored from it.
  for (const junk of ["", "{", "[]", '{"v":2,"parts":["db"]}', "x".repeat(5000)]) assert.equal(readSuspend(junk), null, junk);
  assert.deepEqual(readSuspend('{"v":1,"parts":["db","<b>","a b",5]}').parts, ["db"]);
  // Every part the practice panel names survives a resume, part 1's with digits and hyphens too.
  const partOne = ["sketch:sigmoid", "limit:sigmoid-plus", "limit:relu-minus", "limit:threshold", "factor", "chain-layer", "remedies"];
  assert.deepEqual(readSuspend(writeSuspend(partOne, false)).parts, partOne);
});

test("the zip reads back: every header, size and CRC-32 agrees, and unzip -t agrees", () => {
  for (const pack of Object.values(packages)) {
    const names = pack.files.map((f) => f.name);
    assert.equal(names[0], "imsmanifest.xml", "the manifest is at the root");
    for (const name of ["index.html", "www/app.js", "www/app.css", "www/pkg/backprop_lab_bg.wasm", "www/pkg/backprop_lab_scalar_bg.wasm"]) {
      assert.ok(names.includes(name), name);
    }
    assert.ok(pack.files.some((f) => f.method === 8), "some entries are deflated");
    // Our CRC-32 against zlib's, where this Node has it.
    if (typeof zlib.crc32 === "function") {
      for (const file of pack.files) assert.equal(crc32(file.data), zlib.crc32(file.data), file.name);
    }
    // The files are the page's own, byte for byte.
    const index = pack.files.find((f) => f.name === "www/app.js").data;
    assert.deepEqual(index, readFileSync(join(dirname(pack.path), "www/app.js")));
    const unzipTool = spawnSync("unzip", ["-tq", pack.path], { encoding: "utf8" });
    if (!unzipTool.error) assert.equal(unzipTool.status, 0, unzipTool.stdout + unzipTool.stderr);
  }
  // A damaged archive is refused by the reader.
  const broken = Buffer.from(packages.one.archive);
  broken[200] ^= 0xff;
  assert.throws(() => unzip(broken));
});

test("imsmanifest.xml has what SCORM 1.2 requires", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  for (const [name, pack] of Object.entries(packages)) {
    const found = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, "application/xml");
      if (doc.querySelector("parsererror")) return { error: doc.querySelector("parsererror").textContent };
      const CP = "http://www.imsproject.org/xsd/imscp_rootv1p1p2";
      const ADLCP = "http://www.adlnet.org/xsd/adlcp_rootv1p2";
      const all = (parent, tag) => [...parent.getElementsByTagNameNS(CP, tag)];
      const manifest = doc.documentElement;
      const organizations = all(manifest, "organizations")[0];
      const organization = all(organizations, "organization");
      const items = all(organizations, "item");
      const resources = all(all(manifest, "resources")[0], "resource");
      return {
        root: [manifest.namespaceURI, manifest.localName, manifest.getAttribute("identifier")],
        schema: all(manifest, "schema").map((e) => e.textContent),
        schemaversion: all(manifest, "schemaversion").map((e) => e.textContent),
        defaultOrganization: organizations.getAttribute("default"),
        organizations: organization.map((o) => o.getAttribute("identifier")),
        titles: all(organization[0], "title").map((e) => e.textContent),
        items: items.map((i) => [i.getAttribute("identifier"), i.getAttribute("identifierref")]),
        resources: resources.map((r) => ({
          identifier: r.getAttribute("identifier"), type: r.getAttribute("type"),
          scormtype: r.getAttributeNS(ADLCP, "scormtype"), href: r.getAttribute("href"),
          files: all(r, "file").map((f) => f.getAttribute("href")),
        })),
      };
    }, pack.manifest);
    assert.equal(found.error, undefined, found.error);
    assert.deepEqual(found.root.slice(0, 2), ["http://www.imsproject.org/xsd/imscp_rootv1p1p2", "manifest"], name);
    assert.ok(found.root[2], "the manifest has an identifier");
    assert.deepEqual(found.schema, ["ADL SCORM"]);
    assert.deepEqual(found.schemaversion, ["1.2"]);
    assert.equal(found.organizations.length, 1);
    assert.equal(found.defaultOrganization, found.organizations[0]);
    assert.ok(found.titles[0].startsWith("Backprop Lab"));
    assert.equal(found.items.length, 1, "one item");
    assert.equal(found.resources.length, 1, "one resource");
    const [resource] = found.resources;
    assert.equal(found.items[0][1], resource.identifier, "the item points at the resource");
    assert.equal(resource.type, "webcontent");
    assert.equal(resource.scormtype, "sco");
    assert.match(resource.href, /^index\.html\?panel=practice&embed=1/);
    // Every file in the zip is listed, and every listed file is in the zip.
    const inZip = pack.files.map((f) => f.name).filter((n) => n !== "imsmanifest.xml").sort();
    assert.deepEqual([...resource.files].sort(), inZip);
  }
  assert.equal(packages.one.href, "index.html?panel=practice&embed=1&q=2b");
  await context.close();
});

test("a bad SCORM_LAUNCH stops the build with the reason", () => {
  const run = (launchText) => spawnSync(process.execPath, [join(ROOT, "scripts/dist.mjs")],
    { env: { ...process.env, DIST_DIR: join(folder, "dist-bad"), SCORM_LAUNCH: launchText }, encoding: "utf8" });
  const noMark = run("panel=practice");
  assert.notEqual(noMark.status, 0);
  assert.match(noMark.stderr, /must start with "\?"/);
  const noPanel = run("?panel=nothing");
  assert.notEqual(noPanel.status, 0);
  assert.match(noPanel.stderr, /panel=nothing; the panels are/);
});

test("the runtime records score, status, interactions and suspend data; a new session resumes from it", async () => {
  const { page, frame, inner, context } = await launch("two");
  await inner.evaluate(() => localStorage.clear());
  assert.match(await frame.locator(".lms-status").textContent(), /recorded by your course/);
  let data = await recorded(page);
  assert.equal(data.status, "incomplete");
  assert.equal(data.exit, "suspend");
  // One named mistake, then two exercises solved.
  const wrong = await answer(frame, "∂L/∂b", "-z4 z2");
  assert.doesNotMatch(wrong, /^✓/);
  assert.match(await answer(frame, "∂L/∂b", "-2 z4 z2"), /^✓/);
  const long = `-2 z4 (b ⊙ z2 ⊙ (1 - z2)) xᵀ${" ".repeat(300)}`;
  assert.match(await answer(frame, "∂L/∂A", long), /^✓/);
  data = await recorded(page);
  const launched = await frame.locator("#practice .exercise:not([hidden])").count();
  assert.equal(launched, 5, "worksheet 2's five exercises, launched by q=");
  assert.equal(data.raw, String(Math.round((100 * 2) / launched)), "2 of the exercises launched");
  assert.equal(data.min, "0");
  assert.equal(data.max, "100");
  assert.equal(data.status, "incomplete");
  assert.deepEqual(data.interactions.map(({ id, type, result }) => [id, type, result]),
    [["2b.db", "fill-in", "wrong"], ["2b.db", "fill-in", "correct"], ["2c.dA", "fill-in", "correct"]]);
  assert.equal(data.interactions[0].response, "-z4 z2");
  assert.deepEqual(data.interactions[0].objectives, ["factor_two_missing"], "the mistake is named");
  assert.deepEqual(data.interactions[1].objectives, []);
  assert.equal(data.interactions[2].response.length, 255, "a long answer is cut to a CMIString255");
  assert.ok(long.startsWith(data.interactions[2].response));
  const suspend = JSON.parse(data.suspend);
  assert.deepEqual([...suspend.parts].sort(), ["dA", "db"]);
  assert.ok(data.suspend.length <= 4096);
  // A commit after each answer: one at the start and one per answer.
  assert.equal(data.calls.filter((c) => c === "LMSCommit").length, 4);
  assert.deepEqual(page.problems, []);
  await inner.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(SCREENSHOTS, "scorm-host-1280.png") });

  // The platform ends the session (the frame goes): the page commits and finishes.
  await page.evaluate(() => { document.getElementById("sco").src = "about:blank"; });
  await page.waitForFunction(() => window.calls.some((c) => c.name === "LMSFinish"));
  data = await recorded(page);
  assert.match(data.sessionTime, /^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$/);
  const sent = await page.evaluate(() => window.calls.filter((c) => c.name === "LMSSetValue" && c.args[0] === "cmi.core.session_time").map((c) => [c.args[1], c.result]));
  assert.equal(sent.length, 1);
  assert.match(sent[0][0], /^\d{4}:\d{2}:\d{2}\.\d{2}$/, "a CMITimespan");
  assert.equal(sent[0][1], "true");
  assert.equal(data.calls.filter((c) => c !== "LMSGetLastError").at(-1), "LMSFinish", "finished last");
  await context.close();

  // The next session, in a fresh browser (nothing in its storage): progress comes back from
  // suspend_data alone.
  const resume = { "cmi.suspend_data": data.suspend, "cmi.core.lesson_status": data.status, "cmi.core.score.raw": data.raw };
  const again = await launch("two", { resume });
  const solvedNow = await again.inner.evaluate(() => [...document.querySelectorAll(".exercise.solved")].map((e) => e.dataset.exercise));
  assert.deepEqual(solvedNow.sort(), ["2b", "2c"]);
  assert.equal(await again.inner.evaluate(() => document.getElementById("practice").dataset.solved), "2");
  // A third exercise goes on from there.
  for (const [label, text] of [["∂L/∂z4", "2 z4"], ["∂L/∂z3", "-2*z4"], ["∂L/∂z2", "-2 z4 b"], ["∂L/∂z1", "-2 z4 b ⊙ z2 ⊙ (1 - z2)"]]) {
    assert.match(await answer(again.frame, label, text), /^✓/);
  }
  const later = await recorded(again.page);
  assert.equal(later.raw, String(Math.round((100 * 3) / launched)), "3 of the exercises launched");
  assert.deepEqual(later.interactions.map((i) => i.id), ["local.dz4", "local.dz3", "local.dz2", "local.dz1"]);
  assert.deepEqual(again.page.problems, []);
  await again.context.close();

  // A new attempt on a computer where someone solved exercises before: the platform's record
  // (empty) wins over this browser's storage.
  const fresh = await launch("all");
  await fresh.inner.evaluate(() => {
    localStorage.setItem("backprop-lab.practice.v1", JSON.stringify({ solved: ["db", "dA"] }));
    localStorage.setItem("backprop-lab.practice.answers.v1", JSON.stringify({ db: "-2 z4 z2" }));
  });
  await fresh.page.reload();
  const reloaded = await (await fresh.page.waitForSelector("#sco")).contentFrame();
  await reloaded.waitForFunction(() => window.backpropLab?.ready === true, null, { timeout: 20_000 });
  assert.equal(await reloaded.evaluate(() => document.getElementById("practice").dataset.solved), "0");
  const typed = await reloaded.evaluate(() => JSON.parse(localStorage.getItem("backprop-lab.practice.answers.v1") ?? "{}").typed ?? {});
  assert.deepEqual(typed, {}, "nor another student's typed answers");
  assert.equal(await reloaded.getByLabel("∂L/∂b =", { exact: true }).inputValue(), "");
  await fresh.context.close();
});

test("solving every exercise launched passes", async () => {
  const { page, frame, context } = await launch("one");
  assert.equal(await frame.locator('[data-exercise="2c"]').isVisible(), false, "only 2b is launched");
  assert.match(await answer(frame, "∂L/∂b", "2*(z3 - y)*sigma(A x)"), /^✓/);
  const data = await recorded(page);
  assert.equal(data.raw, "100");
  assert.equal(data.status, "passed");
  assert.deepEqual(data.interactions.map((i) => [i.id, i.result]), [["2b.db", "correct"]]);
  // Starting over clears the panel, not the score the attempt has earned.
  await frame.getByRole("button", { name: "Start over", exact: true }).click();
  await frame.getByRole("button", { name: "Yes, start over" }).click();
  await frame.locator("#practice-reset-done").getByText(/Started over/).waitFor();
  const after = await recorded(page);
  assert.equal(after.raw, "100");
  assert.equal(after.status, "passed");
  assert.deepEqual(page.problems, []);
  await context.close();
});

test("a platform that serves .wasm without its type: the page still starts and reports", async () => {
  const { page, frame, context } = await launch("one", { at: plainOrigin });
  assert.match(await answer(frame, "∂L/∂b", "-2 z4 z2"), /^✓/);
  const data = await recorded(page);
  assert.equal(data.raw, "100");
  assert.deepEqual(page.problems, []);
  await context.close();
});

test("an activity with a goal: 100 and passed once the goal is reached, nothing before", async () => {
  const { page, frame, context } = await launch("all", { query: "?panel=practice&embed=1&goal=solved:2c" });
  assert.match(await frame.locator(".lms-status").textContent(), /recorded by your course/);
  assert.match(await answer(frame, "∂L/∂b", "-2 z4 z2"), /^✓/);
  let data = await recorded(page);
  assert.equal(data.status, "incomplete");
  assert.equal(data.raw, "", "no score before the goal");
  assert.match(await answer(frame, "∂L/∂A", "-2 z4 (b ⊙ z2 ⊙ (1 - z2)) xᵀ"), /^✓/);
  assert.match(await frame.locator(".goal").textContent(), /Goal reached/);
  data = await recorded(page);
  assert.equal(data.raw, "100");
  assert.equal(data.status, "passed");
  assert.equal(JSON.parse(data.suspend).reached, true);
  assert.deepEqual(data.interactions.map((i) => [i.id, i.result]), [["2b.db", "correct"], ["2c.dA", "correct"]]);
  assert.deepEqual(page.problems, []);
  await context.close();
});

test("a goal in the training lab: reached by training, recorded as 100 and passed", async () => {
  const { page, frame, context } = await launch("all", { query: "?panel=training&embed=1&goal=train%3C0.3&t_spf=5" });
  assert.match(await frame.locator("#training .lms-status").textContent(), /recorded by your course/);
  assert.equal((await recorded(page)).status, "incomplete");
  await frame.getByRole("button", { name: "Play" }).click();
  await frame.getByText(/^Goal reached: the training loss is/).waitFor({ timeout: 30_000 });
  await frame.getByRole("button", { name: "Pause" }).click();
  await page.waitForFunction(() => window.runtime.cmi.core.lesson_status === "passed");
  const data = await recorded(page);
  assert.equal(data.raw, "100");
  assert.deepEqual(data.interactions, []);
  assert.equal(JSON.parse(data.suspend).reached, true);
  assert.deepEqual(page.problems, []);
  await context.close();
});

test("the Embed dialog downloads the package for the activity chosen in it", async () => {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(error.message));
  page.on("console", (message) => { if (message.type() === "error") problems.push(message.text()); });
  await page.goto(`${origin}/all/index.html?panel=practice`);
  await page.waitForFunction(() => window.backpropLab?.ready === true, null, { timeout: 20_000 });
  await page.getByRole("button", { name: "Embed the Practice panel" }).click();
  await page.getByLabel("Goal the page checks (optional)").selectOption("solved");
  await page.getByLabel("Exercise (such as 1a or 2c)").fill("2c");
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download as a SCORM package" }).click()]);
  assert.equal(download.suggestedFilename(), "backprop-lab-scorm-practice.zip");
  const archive = readFileSync(await download.path());
  const files = unzip(archive);
  assert.match(await page.locator("#embed-scorm-status").textContent(), /^Saved backprop-lab-scorm-practice\.zip/);
  await page.screenshot({ path: join(SCREENSHOTS, "scorm-embed-dialog-1280.png") });
  // The same files as `make dist` packs, byte for byte, and a manifest launching the activity.
  const made = new Map(packages.all.files.map((f) => [f.name, f.data]));
  assert.deepEqual(files.map((f) => f.name), packages.all.files.map((f) => f.name));
  for (const file of files.filter((f) => f.name !== "imsmanifest.xml")) assert.ok(file.data.equals(made.get(file.name)), file.name);
  assert.ok(files.some((f) => f.method === 8), "deflated in the browser");
  const manifest = files[0].data.toString("utf8");
  const href = manifest.match(/adlcp:scormtype="sco" href="([^"]+)"/)[1].replace(/&amp;/g, "&");
  const query = new URLSearchParams(href.split("?")[1]);
  assert.equal(query.get("panel"), "practice");
  assert.equal(query.get("embed"), "1");
  assert.equal(query.get("goal"), "solved:2c");
  assert.match(manifest, /<schemaversion>1\.2<\/schemaversion>/);
  assert.deepEqual(problems, []);
  await context.close();
  // Launched as a platform would: the goal is shown, and reaching it is recorded.
  for (const file of files) {
    const path = join(folder, "downloaded", file.name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.data);
  }
  packages.downloaded = { href };
  const launched = await launch("downloaded");
  assert.match(await answer(launched.frame, "∂L/∂A", "-2 z4 (b ⊙ z2 ⊙ (1 - z2)) xᵀ"), /^✓/);
  const data = await recorded(launched.page);
  assert.equal(data.raw, "100");
  assert.equal(data.status, "passed");
  assert.deepEqual(launched.page.problems, []);
  await launched.context.close();
});

const BROKEN = { false: "refuses every call", "set-refused": "opens but refuses every value", throw: "throws" };
for (const [mode, what] of Object.entries(BROKEN)) {
  test(`a runtime that ${what}: the page says so once and keeps working`, async () => {
    for (const width of [1280, 360]) {
      const { page, frame, context } = await launch("all", { mode, width });
      const status = frame.locator(".lms-status");
      await assert.doesNotReject(status.waitFor());
      assert.equal(await status.count(), 1);
      const said = await status.textContent();
      assert.match(said, /did not take your score/);
      if (mode === "set-refused") assert.match(said, /refused LMSSetValue cmi\.core\.lesson_status, error 405/);
      assert.match(await answer(frame, "∂L/∂b", "-z4 z2"), /factor/i);
      assert.match(await answer(frame, "∂L/∂b", "-2 z4 z2"), /^✓/);
      assert.match(await frame.locator('[data-exercise="2b"]').getAttribute("class"), /solved/);
      assert.equal(await frame.locator(".lms-status").count(), 1, "said once");
      assert.equal(await status.textContent(), said, "and not again");
      assert.equal(await status.getAttribute("role"), "status");
      const calls = await page.evaluate(() => window.calls.length);
      assert.ok(calls > 0, "the page did try the runtime");
      assert.deepEqual(page.problems, []);
      await status.evaluate((line) => line.ownerDocument.defaultView.scrollTo(0, 0));
      await page.screenshot({ path: join(SCREENSHOTS, `scorm-${mode}-${width}.png`) });
      await context.close();
    }
  });
}

test("no platform, or one in a frame of another origin: the page works as before", async () => {
  const context = await browser.newContext();
  // Opened straight, without a host.
  const page = await context.newPage();
  page.problems = [];
  page.on("pageerror", (error) => page.problems.push(error.message));
  await page.goto(`${origin}/all/${packages.all.href}`);
  await page.waitForFunction(() => window.backpropLab?.ready === true, null, { timeout: 20_000 });
  assert.equal(await page.locator(".lms-status").count(), 0);
  assert.equal(await page.evaluate(() => window.backpropLab.lms), null);
  // Framed by a host on another origin: its API cannot be reached, and reaching for it must not throw.
  const host = await context.newPage();
  host.problems = [];
  host.on("pageerror", (error) => host.problems.push(error.message));
  const params = new URLSearchParams({ mode: "real", launch: `${otherOrigin}/all/${packages.all.href}` });
  await host.goto(`${origin}/host/index.html?${params}`);
  const inner = await (await host.waitForSelector("#sco")).contentFrame();
  await inner.waitForFunction(() => window.backpropLab?.ready === true, null, { timeout: 20_000 });
  assert.equal(await inner.evaluate(() => window.backpropLab.lms), null);
  assert.equal(await host.evaluate(() => window.calls.length), 0);
  assert.match(await answer(host.frameLocator("#sco"), "∂L/∂b", "-2 z4 z2"), /^✓/);
  assert.deepEqual([...page.problems, ...host.problems], []);
  await context.close();
});
