// Opens the API reference page in Debian's headless Chromium, waits until Swagger UI has rendered the document,
// writes a screenshot and prints what a person sees as JSON: { title, tags, operations }.
// usage: node docs-page.mjs <url> <screenshot.png>
import { chromium } from "playwright-core";

const [url, screenshot] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 2000 } });
  const failures = [];
  page.on("requestfailed", (request) => failures.push(`${request.url()}: ${request.failure()?.errorText}`));
  page.on("pageerror", (error) => failures.push(`page error: ${error.message}`));
  await page.goto(url, { waitUntil: "load", timeout: 30000 });
  await page.waitForSelector(".opblock-tag[data-tag]", { timeout: 30000 });
  await page.screenshot({ path: screenshot, fullPage: false });
  const result = await page.evaluate(() => ({
    title: document.querySelector(".info .title")?.textContent?.trim() ?? null,
    tags: [...document.querySelectorAll(".opblock-tag[data-tag]")].map((e) => e.getAttribute("data-tag")),
    operations: document.querySelectorAll(".opblock").length,
  }));
  console.log(JSON.stringify({ ...result, failures }));
} finally {
  await browser.close();
}
