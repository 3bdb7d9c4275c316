// Drives the reference frontend (samples/web) in Debian's headless Chromium through playwright-core, the way a person
// would, and prints what happened as one JSON line. The page is served as static files from loopback on a free port,
// and Chromium maps http://localhost:5173 (the origin the API's CORS, sign-in and storage allow) to it: the page has the
// real origin and is really on loopback, while a ./run.sh that holds port 5173 is never in the way.
// usage: node web-walk.mjs <config.json>
//   config: { api, web, learnerEmail, staffEmail, staffPassword, upload, search, question, wrong, screenshots }
import { readFile } from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import { chromium } from "playwright-core";

const config = JSON.parse(await readFile(process.argv[2], "utf8"));
const origin = "http://localhost:5173";
const types = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css" };

const server = http.createServer(async (request, response) => {
  const file = path.normalize(new URL(request.url ?? "/", origin).pathname.replace(/^\/$/, "/index.html"));
  try {
    const body = await readFile(path.join(config.web, file));
    response.writeHead(200, { "Content-Type": types[path.extname(file)] ?? "application/octet-stream", "Cache-Control": "no-store" });
    response.end(body);
  } catch {
    response.writeHead(404).end("not found");
  }
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
    `--host-resolver-rules=MAP localhost:5173 127.0.0.1:${server.address().port}`],
});
const result = {};

/** A fresh browser profile on the page, recording console errors, failed requests and error responses. */
async function open(name) {
  const context = await browser.newContext({ viewport: { width: 1100, height: 1400 } });
  const page = await context.newPage();
  const record = (result[name] = { consoleErrors: [], failedRequests: [], errorResponses: [], navigations: [] });
  page.on("console", (message) => {
    if (message.type() === "error") record.consoleErrors.push(`${message.text()} @ ${message.location().url}`);
  });
  page.on("pageerror", (error) => record.consoleErrors.push(`page error: ${error.message}`));
  page.on("requestfailed", (request) => record.failedRequests.push(`${request.method()} ${request.url()}: ${request.failure()?.errorText}`));
  page.on("response", async (response) => {
    const request = response.request();
    if (response.status() >= 400) record.errorResponses.push(`${request.method()} ${new URL(response.url()).pathname} ${response.status()}`);
    if (request.isNavigationRequest() && request.frame() === page.mainFrame()) {
      const headers = await request.allHeaders();
      record.navigations.push({ url: response.url(), status: response.status(), cookie: headers.cookie ?? null });
    }
  });
  await page.goto(`${origin}/?api=${encodeURIComponent(config.api)}`);
  await page.waitForSelector("body[data-ready=true]");
  return { context, page, record };
}

const text = (page, id) => page.locator(`#${id}`).textContent();
const until = (page, id, predicate, timeout = 30000) =>
  page.waitForFunction(([id, source]) => new Function("t", `return ${source}`)(document.getElementById(id)?.textContent ?? ""), [id, predicate], { timeout });

try {
  // 1. A learner: Google sign-in with PKCE through the stand-in, the catalog, enrolment, a lesson, a quiz, the tutor.
  {
    const { context, page, record } = await open("learner");
    await page.fill("#google-email", config.learnerEmail);
    await page.click("#google-signin");
    // Back on the page (its own URL, without ?api=), and the page done with the exchange and the catalog.
    await page.waitForURL((url) => url.origin === origin && !url.searchParams.has("api"));
    await page.waitForSelector("body[data-ready=true]");
    await until(page, "who", `t.includes(${JSON.stringify(config.learnerEmail)})`);
    record.who = await text(page, "who");
    record.urlAfterSignIn = page.url();
    record.catalogEtag = await text(page, "catalog-etag");
    await page.locator("#catalog button").first().click();
    await until(page, "course-etag", "t.length > 0");
    record.courseEtag = await text(page, "course-etag");
    await page.click("#enrol");
    await until(page, "enrol-status", "t.length > 0");
    record.enrolLocation = await text(page, "enrol-location");
    record.enrolStatus = await text(page, "enrol-status");
    await page.locator("#outline button").first().click();
    await until(page, "lesson-title", "t.length > 0");
    record.lessonTitle = await text(page, "lesson-title");
    // A failed attempt, then a second one: the 409 cooldown's Retry-After, read from JS.
    await page.click("#quiz-start");
    await until(page, "quiz-location", "t.length > 0");
    record.quizLocation = await text(page, "quiz-location");
    for (const set of await page.locator("#quiz-form fieldset").all())
      await set.locator("label", { hasText: config.wrong }).first().locator("input").check();
    await page.click("#quiz-submit");
    await until(page, "quiz-result", "t.length > 0");
    record.quizResult = await text(page, "quiz-result");
    await page.click("#quiz-start");
    await until(page, "quiz-retry-after", "t.length > 0");
    record.retryAfter = await text(page, "quiz-retry-after");
    record.errorBanner = await text(page, "error");
    await page.fill("#tutor-question", config.question);
    await page.click("#tutor-form button");
    await until(page, "tutor-answer", "t.length > 0");
    record.tutorAnswer = await text(page, "tutor-answer");
    await page.screenshot({ path: path.join(config.screenshots, "learner.png"), fullPage: true });
    await context.close();
  }

  // 2. A staff email through Google: the sign-in fails and the browser comes back to the page with its error.
  {
    const { context, page, record } = await open("failedSignIn");
    await page.fill("#google-email", config.staffEmail);
    await page.click("#google-signin");
    await page.waitForSelector("#error:not([hidden])");
    record.error = await text(page, "error");
    record.url = page.url();
    record.who = await text(page, "who");
    await page.screenshot({ path: path.join(config.screenshots, "failed-sign-in.png"), fullPage: true });
    await context.close();
  }

  // 3. An admin: a password sign-in, an upload from the page straight to the SAS URL, the ingestion, then search.
  {
    const { context, page, record } = await open("admin");
    await page.fill("#staff-email", config.staffEmail);
    await page.fill("#staff-password", config.staffPassword);
    await page.click("#staff-signin");
    await until(page, "who", "t.includes('admin')");
    await page.setInputFiles("#upload-file", config.upload);
    await page.click("#upload-form button");
    // Ingestion ends in a status; a failed upload (storage's CORS, a refused SAS) ends in the page's error line.
    await page.waitForFunction(() => ["succeeded", "failed"].includes(document.getElementById("ingestion-status")?.textContent ?? "")
      || (document.getElementById("error")?.textContent ?? "") !== "", null, { timeout: 360000 });
    record.error = await text(page, "error");
    if (record.error) throw new Error(`the page showed an error: ${record.error}`);
    record.uploadPath = await text(page, "upload-path");
    record.uploadEtag = await text(page, "upload-etag");
    record.ingestion = await text(page, "ingestion-status");
    await page.fill("#search-query", config.search);
    await page.click("#search-form button");
    await page.waitForSelector("#search-results li");
    record.searchResults = await page.locator("#search-results li").allTextContents();
    await page.screenshot({ path: path.join(config.screenshots, "admin.png"), fullPage: true });
    await context.close();
  }
} catch (error) {
  result.failure = String(error?.stack ?? error);
} finally {
  await browser.close();
  server.close();
}
console.log(JSON.stringify(result));
