// @ts-check
// The reference page: Google sign-in with PKCE (or a staff password), the catalog, enrolment, a lesson, a quiz, the
// tutor, and for admins an upload from the page straight to the SAS URL, watched until it is ingested and searchable.
// Plain DOM, no framework; each step shows the headers a frontend reads (ETag, Location, Retry-After).
import * as api from "./api.js";

/** @typedef {import("../../tools/openapi/generated/api").components["schemas"]} Schemas */

/** @param {string} id */
const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
/** @param {string} id */
const input = (id) => /** @type {HTMLInputElement} */ (document.getElementById(id));
/** @param {string} id @param {string | null | undefined} text */
const show = (id, text) => { $(id).textContent = text ?? ""; };
/** @param {string} id @param {boolean} visible */
const reveal = (id, visible) => { $(id).hidden = !visible; };

/** @param {unknown} error */
function report(error) {
  const message = error instanceof api.ApiError ? `${error.problem.code}: ${error.problem.detail}` : String(error);
  show("error", message);
  reveal("error", true);
}

/** @param {string} tag @param {string} text @param {() => void} [onClick] */
function item(tag, text, onClick) {
  const element = document.createElement(tag);
  if (onClick) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "link";
    button.textContent = text;
    button.addEventListener("click", () => { Promise.resolve().then(onClick).catch(report); });
    element.append(button);
  } else element.textContent = text;
  return element;
}

// ---- sign-in ----

/** @param {Uint8Array} bytes */
const base64url = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

/** Google through the API: a PKCE verifier stays in this tab, only its S256 challenge leaves it. */
async function googleSignIn(/** @type {string} */ email) {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))));
  sessionStorage.setItem("pkce_verifier", verifier);
  const back = location.origin + location.pathname; // no code, no fragment: the API adds ?code= (or ?error=)
  const start = new URL(`${api.apiBase}/auth/google/start`);
  start.searchParams.set("redirect", back);
  start.searchParams.set("code_challenge", challenge);
  if (email) start.searchParams.set("login_hint", email);
  location.assign(start.toString());
}

/**
 * Back from the sign-in: `?code=` is exchanged once (it is single use: the URL is cleaned first, so a reload or a
 * second run of this code cannot spend it twice), `?error=` is shown.
 */
async function finishSignIn() {
  const url = new URL(location.href);
  const code = url.searchParams.get("code");
  const error = url.searchParams.get("error");
  if (!code && !error) return;
  url.searchParams.delete("code");
  url.searchParams.delete("error");
  url.searchParams.delete("error_description");
  const description = new URL(location.href).searchParams.get("error_description");
  history.replaceState(null, "", url.toString());
  const verifier = sessionStorage.getItem("pkce_verifier");
  sessionStorage.removeItem("pkce_verifier");
  if (error) {
    show("error", `Sign-in failed (${error}): ${description ?? ""}`);
    reveal("error", true);
    return;
  }
  if (!code || !verifier) throw new Error("This tab did not start the sign-in; sign in again.");
  /** @type {{ data: Schemas["TokenResponse"], response: Response }} */
  const { data } = await api.call("POST", "auth/exchange", { body: { code, codeVerifier: verifier } });
  api.setTokens({ accessToken: data.accessToken, refreshToken: data.refreshToken });
}

/** @type {Schemas["UserProfile"] | null} */
let user = null;

async function refreshWho() {
  user = api.signedIn() ? (await api.me()).data : null;
  show("who", user ? `Signed in as ${user.email} (${user.role})` : "Not signed in");
  reveal("signout", user !== null);
  reveal("admin-section", user?.role === "admin");
}

// ---- catalog, course, lesson ----

/** @type {string | null} */
let current = null;
/** @type {string | null} */
let currentTopic = null;

async function loadCatalog() {
  const { data, response } = await api.courses();
  show("catalog-etag", response.headers.get("ETag"));
  const list = $("catalog");
  list.replaceChildren(...data.items.map((c) => item("li", `${c.name} (${c.slug})`, () => openCourse(c.slug))));
  const select = /** @type {HTMLSelectElement} */ ($("upload-course"));
  select.replaceChildren(...data.items.map((c) => Object.assign(document.createElement("option"), { value: c.slug, textContent: c.name })));
}

/** @param {string} slug */
async function openCourse(slug) {
  current = slug;
  const { data, response } = await api.course(slug);
  show("course-title", data.name);
  show("course-description", data.description);
  show("course-etag", response.headers.get("ETag"));
  reveal("course-section", true);
  reveal("enrol", api.signedIn() && data.enrolled !== true);
  if (data.enrolled) await showOutline(slug);
}

async function enrol() {
  if (!current) return;
  const { response } = await api.enrol(current);
  // The Location is path-absolute on the API's origin; it answers GET with the enrolment.
  const where = response.headers.get("Location");
  show("enrol-location", where);
  if (where) {
    /** @type {{ data: Schemas["EnrollmentDto"], response: Response }} */
    const { data } = await api.call("GET", where);
    show("enrol-status", `${data.status} (${data.kind})`);
  }
  reveal("enrol", false);
  await showOutline(current);
}

/** @param {string} slug */
async function showOutline(slug) {
  const { data } = await api.outline(slug);
  $("outline").replaceChildren(...data.modules.flatMap((m) => m.topics.map((t) =>
    item("li", `Module ${m.moduleNo} · ${t.topicNumber}. ${t.name}`, () => openLesson(t.id)))));
  currentTopic = data.modules[0]?.topics[0]?.id ?? null;
  reveal("quiz-section", true);
  reveal("tutor-section", true);
}

/** @param {string} topicId */
async function openLesson(topicId) {
  currentTopic = topicId;
  const { data } = await api.lesson(topicId);
  show("lesson-title", data.name);
  const parts = data.layout.blocks.map((block) => {
    const text = /** @type {{ markdown?: string, title?: string, url?: string }} */ (block.data);
    return item("p", text.markdown ?? text.title ?? text.url ?? block.type);
  });
  if (data.variants.normal) parts.unshift(item("p", data.variants.normal));
  $("lesson").replaceChildren(...parts);
  reveal("lesson-section", true);
}

// ---- quiz ----

/** @type {Schemas["QuizAttemptView"] | null} */
let attempt = null;

async function startQuiz() {
  if (!current) return;
  show("quiz-retry-after", "");
  try {
    const { data, response } = await api.startQuiz(current, 1, 1);
    attempt = data;
    show("quiz-location", response.headers.get("Location"));
    const form = $("quiz-form");
    form.replaceChildren(...data.questions.map((q) => {
      const set = document.createElement("fieldset");
      set.append(Object.assign(document.createElement("legend"), { textContent: q.text }));
      for (const option of q.options) {
        const label = document.createElement("label");
        label.append(Object.assign(document.createElement("input"), { type: "radio", name: q.id, value: option.id }), option.text);
        set.append(label);
      }
      return set;
    }), Object.assign(document.createElement("button"), { type: "submit", textContent: "Submit", id: "quiz-submit" }));
  } catch (error) {
    // A failed attempt closes the module for a while: the API says how long in Retry-After.
    if (error instanceof api.ApiError && error.problem.code === "quiz_cooldown") {
      show("quiz-retry-after", error.response.headers.get("Retry-After"));
    }
    throw error;
  }
}

async function submitQuiz() {
  if (!attempt) return;
  const form = /** @type {HTMLFormElement} */ ($("quiz-form"));
  const answers = attempt.questions.map((q) => {
    const chosen = /** @type {HTMLInputElement | null} */ (form.querySelector(`input[name="${q.id}"]:checked`));
    return { questionId: q.id, optionId: chosen?.value ?? q.options[0].id };
  });
  const { data } = await api.submitQuiz(attempt.id, answers);
  show("quiz-result", `Score ${data.score} · ${data.passed ? "passed" : "not passed"}`);
  attempt = null;
}

// ---- tutor ----

async function ask() {
  if (!current || !currentTopic) return;
  const { data } = await api.askTutor(current, currentTopic, input("tutor-question").value);
  show("tutor-answer", data.answer);
  $("tutor-sources").replaceChildren(...data.sources.map((s, i) => item("li", `[${i + 1}] ${s.sourceName} (${s.source})`)));
}

// ---- admin: upload from the page to the SAS URL, then watch the ingestion ----

async function upload() {
  const slug = /** @type {HTMLSelectElement} */ ($("upload-course")).value;
  const file = input("upload-file").files?.[0];
  if (!slug || !file) return;
  const { data: ticket } = await api.uploadTicket(slug, file.name);
  show("upload-path", ticket.path);
  // Straight to storage: the SAS URL is the credential; storage's CORS lets the page's origin PUT and read ETag.
  const put = await fetch(ticket.uploadUrl, { method: "PUT", headers: { "x-ms-blob-type": "BlockBlob" }, body: file });
  await put.text(); // read to the end: an unread response stays open and is aborted when the page goes
  if (!put.ok) throw new Error(`The upload to storage answered ${put.status}`);
  const etag = put.headers.get("ETag");
  show("upload-etag", etag);
  show("ingestion-status", "queued");
  // The blob trigger ingests it; the log names the source by the ticket's path and the version by the same quoted ETag.
  for (let i = 0; i < 120; i++) {
    const { data } = await api.ingestions(slug);
    const entry = data.items.find((e) => e.source === ticket.path && e.eTag === etag);
    if (entry) show("ingestion-status", entry.status);
    if (entry && (entry.status === "succeeded" || entry.status === "failed")) return;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

async function searchCourse() {
  const slug = /** @type {HTMLSelectElement} */ ($("upload-course")).value;
  const { data } = await api.search(slug, input("search-query").value);
  $("search-results").replaceChildren(...data.items.map((h) => item("li", `${h.sourceName} (${h.source}) ${h.score}: ${h.content.slice(0, 80)}`)));
}

// ---- wiring ----

/** @param {string} id @param {() => Promise<void>} handler */
function onSubmit(id, handler) {
  $(id).addEventListener("submit", (event) => {
    event.preventDefault();
    reveal("error", false);
    handler().catch(report);
  });
}

onSubmit("google-form", () => googleSignIn(input("google-email").value));
onSubmit("staff-form", async () => {
  await api.passwordSignIn(input("staff-email").value, input("staff-password").value);
  await refreshWho();
  if (current) await openCourse(current);
});
onSubmit("quiz-form", submitQuiz);
onSubmit("tutor-form", ask);
onSubmit("upload-form", upload);
onSubmit("search-form", searchCourse);
$("signout").addEventListener("click", () => { api.signOut().then(() => location.reload()).catch(report); });
$("enrol").addEventListener("click", () => { enrol().catch(report); });
$("quiz-start").addEventListener("click", () => { startQuiz().catch(report); });

show("api-base", api.apiBase);
finishSignIn()
  .then(refreshWho)
  .then(loadCatalog)
  .then(() => { document.body.dataset.ready = "true"; })
  .catch((error) => { document.body.dataset.ready = "true"; report(error); });
