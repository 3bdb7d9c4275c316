// @ts-check
// The API client of the reference page: fetch, typed through JSDoc with the types openapi-typescript generates from
// /api/openapi.json (tools/openapi/generated/api.ts; `tsc -p samples/web` checks this folder against it, no build step
// for the page itself). Every call answers { data, response } so the page can read the headers the API relies on
// (ETag, Location, Retry-After), which CORS lets it read because the API sends Access-Control-Expose-Headers.

/** @typedef {import("../../tools/openapi/generated/api").components["schemas"]} Schemas */
/** @typedef {Schemas["Problem"]} Problem */

/** The API's base URL: `?api=` (remembered for the sign-in round trip), else the local host of ./run.sh. */
export const apiBase = (() => {
  const fromQuery = new URL(location.href).searchParams.get("api");
  if (fromQuery) sessionStorage.setItem("api", fromQuery);
  return (fromQuery ?? sessionStorage.getItem("api") ?? "http://localhost:7071/api").replace(/\/$/, "");
})();

/** A problem+json answer, thrown. */
export class ApiError extends Error {
  /** @param {Problem} problem @param {Response} response */
  constructor(problem, response) {
    super(`${problem.status} ${problem.code}: ${problem.detail}`);
    this.problem = problem;
    this.response = response;
  }
}

/** @type {{ accessToken: string, refreshToken: string } | null} */
let tokens = JSON.parse(sessionStorage.getItem("tokens") ?? "null");

/** @param {{ accessToken: string, refreshToken: string } | null} value */
export function setTokens(value) {
  tokens = value;
  if (value) sessionStorage.setItem("tokens", JSON.stringify(value));
  else sessionStorage.removeItem("tokens");
}

export const signedIn = () => tokens !== null;

/**
 * One call. A path is relative to the API base; a Location the API sends is path-absolute (`/api/...`), relative to
 * the API's origin, so it resolves against that origin.
 * @template T
 * @param {string} method
 * @param {string} path
 * @param {{ body?: unknown, headers?: Record<string, string> }} [options]
 * @returns {Promise<{ data: T, response: Response }>}
 */
export async function call(method, path, options = {}) {
  const url = path.startsWith("/api/") ? new URL(path, apiBase).toString() : `${apiBase}/${path.replace(/^\//, "")}`;
  /** @type {Record<string, string>} */
  const headers = { Accept: "application/json", ...(options.headers ?? {}) };
  if (tokens) headers.Authorization = `Bearer ${tokens.accessToken}`;
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(url, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  if (response.status === 304) return { data: /** @type {T} */ (/** @type {unknown} */ (null)), response };
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) throw new ApiError(/** @type {Problem} */ (data), response);
  return { data, response };
}

/** @param {string} email @param {string} password */
export async function passwordSignIn(email, password) {
  /** @type {{ data: Schemas["TokenResponse"], response: Response }} */
  const { data } = await call("POST", "auth/login", { body: { email, password } });
  setTokens({ accessToken: data.accessToken, refreshToken: data.refreshToken });
  return data;
}

export async function signOut() {
  if (tokens) await call("POST", "auth/logout", { body: { refreshToken: tokens.refreshToken } }).catch(() => undefined);
  setTokens(null);
}

/** @returns {Promise<{ data: Schemas["UserProfile"], response: Response }>} */
export const me = () => call("GET", "users/me");

/** @returns {Promise<{ data: Schemas["PagedListOfCourseSummary"], response: Response }>} */
export const courses = () => call("GET", "courses?pageSize=50");

/** @param {string} slug @returns {Promise<{ data: Schemas["CourseDetail"], response: Response }>} */
export const course = (slug) => call("GET", `courses/${encodeURIComponent(slug)}`);

/**
 * 201 (a new enrolment, with Location) or 200 (the one there was): the body's `kind` says it is an enrolment.
 * @param {string} slug
 * @returns {Promise<{ data: Schemas["EnrollmentDto"], response: Response }>}
 */
export async function enrol(slug) {
  /** @type {{ data: Schemas["EnrollmentDto"] | Schemas["Eligibility"], response: Response }} */
  const result = await call("POST", `courses/${encodeURIComponent(slug)}/enroll`);
  if (result.data.kind !== "enrollment") throw new Error(`enrol answered ${result.data.kind}`);
  return { data: result.data, response: result.response };
}

/** @param {string} slug @returns {Promise<{ data: Schemas["CourseOutline"], response: Response }>} */
export const outline = (slug) => call("GET", `courses/${encodeURIComponent(slug)}/topics`);

/** @param {string} topicId @returns {Promise<{ data: Schemas["LessonContent"], response: Response }>} */
export const lesson = (topicId) => call("GET", `topics/${topicId}/content`);

/**
 * @param {string} slug @param {number} moduleNo @param {number} topicPairIndex
 * @returns {Promise<{ data: Schemas["QuizAttemptView"], response: Response }>}
 */
export const startQuiz = (slug, moduleNo, topicPairIndex) =>
  call("POST", `courses/${encodeURIComponent(slug)}/quiz/attempts`, { body: { moduleNo, topicPairIndex } });

/**
 * @param {string} attemptId @param {{ questionId: string, optionId: string }[]} answers
 * @returns {Promise<{ data: Schemas["QuizAttemptView"], response: Response }>}
 */
export const submitQuiz = (attemptId, answers) => call("POST", `quiz/attempts/${attemptId}/submit`, { body: { answers } });

/**
 * @param {string} slug @param {string} topicId @param {string} question
 * @returns {Promise<{ data: Schemas["AiTutorAnswer"], response: Response }>}
 */
export const askTutor = (slug, topicId, question) =>
  call("POST", `courses/${encodeURIComponent(slug)}/tutor/ask`, { body: { topicId, question } });

/** @param {string} slug @param {string} fileName @returns {Promise<{ data: Schemas["UploadTicket"], response: Response }>} */
export const uploadTicket = (slug, fileName) => call("POST", `manage/courses/${encodeURIComponent(slug)}/uploads`, { body: { fileName } });

/** @param {string} slug @returns {Promise<{ data: Schemas["PagedListOfIngestionLogEntry"], response: Response }>} */
export const ingestions = (slug) => call("GET", `manage/courses/${encodeURIComponent(slug)}/ingestions?pageSize=20`);

/** @param {string} slug @param {string} q @returns {Promise<{ data: Schemas["SearchResults"], response: Response }>} */
export const search = (slug, q) => call("GET", `courses/${encodeURIComponent(slug)}/search?q=${encodeURIComponent(q)}&k=3`);
