// The frontend's view of the contract: typed calls written against the client generated from /api/openapi.json.
// It must type-check against the generated file (tsc --strict); a renamed field, a dropped route or a problem code
// that the document no longer lists breaks it.
import type { components, paths } from "../generated/api";

type Schemas = components["schemas"];
type Json<P extends keyof paths, M extends keyof paths[P], S extends number> =
  paths[P][M] extends { responses: { [K in S]: { content: { "application/json": infer T } } } } ? T : never;
type Body<P extends keyof paths, M extends keyof paths[P]> =
  paths[P][M] extends { requestBody?: { content: { "application/json": infer T } } } ? T : never;

export type Problem = Schemas["Problem"];
export type ProblemCode = Schemas["ProblemCode"];

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
  }
}

async function call<T>(method: string, path: string, token?: string, body?: unknown): Promise<T> {
  const response = await fetch(`/api${path}`, {
    method,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new ApiError((await response.json()) as Problem);
  return (await response.json()) as T;
}

export async function signIn(email: string, password: string): Promise<string> {
  const body: Body<"/auth/login", "post"> = { email, password };
  const tokens = await call<Json<"/auth/login", "post", 200>>("POST", "/auth/login", undefined, body);
  return tokens.accessToken;
}

export async function catalog(page = 1): Promise<string[]> {
  const list = await call<Json<"/courses", "get", 200>>("GET", `/courses?page=${page}&pageSize=20`);
  const total: number = list.total;
  return list.items.map((course) => `${course.name} (${course.slug}) ${total}`);
}

/** Starts a quiz attempt, telling a cooldown (wait Retry-After) from a locked module. */
export async function startQuiz(token: string, course: string, moduleNo: number, topicPairIndex: number): Promise<string> {
  const body: Body<"/courses/{course}/quiz/attempts", "post"> = { moduleNo, topicPairIndex };
  try {
    const attempt = await call<Json<"/courses/{course}/quiz/attempts", "post", 201>>("POST", `/courses/${course}/quiz/attempts`, token, body);
    const firstOption: string = attempt.questions[0].options[0].id;
    const expires: string = attempt.expiresAt;
    return `${attempt.id} ${firstOption} ${expires}`;
  } catch (error) {
    if (error instanceof ApiError) {
      const code: ProblemCode = error.problem.code;
      switch (code) {
        case "quiz_cooldown":
          return "cooling down";
        case "module_locked":
          return "locked";
        case "attempt_already_submitted":
        case "not_in_cohort":
        case "cart_empty":
        case "quota_exceeded":
          return code;
      }
    }
    throw error;
  }
}

export async function checkout(token: string): Promise<number> {
  const cart = await call<Json<"/cart", "get", 200>>("GET", "/cart", token);
  const result = await call<Json<"/cart/checkout", "post", 200>>("POST", "/cart/checkout", token);
  return cart.lines.length + result.enrollments.length;
}

/** Enrols, or only checks: one 200 with two bodies, told apart by `kind` without a cast. */
export async function enrol(token: string, course: string, checkOnly: boolean): Promise<string> {
  const result = await call<Json<"/courses/{course}/enroll", "post", 200>>("POST", `/courses/${course}/enroll?checkOnly=${checkOnly}`, token);
  if (result.kind === "enrollment") {
    const id: string = result.id;
    return `${id} ${result.status}`;
  }
  const reason: string = result.reason;
  return `${result.eligible} ${reason}`;
}

/** The sources list: `items` is always an array, and each source's `path` is what search and the log call `source`. */
export async function sources(token: string, course: string): Promise<string[]> {
  const list = await call<Json<"/manage/courses/{course}/sources", "get", 200>>("GET", `/manage/courses/${course}/sources`, token);
  const hits = await call<Json<"/courses/{course}/search", "get", 200>>("GET", `/courses/${course}/search?q=dns`, token);
  const found = new Set(hits.items.map((hit) => hit.source));
  const named: string[] = hits.items.map((hit) => hit.sourceName);
  return list.items.map((source) => `${source.path} ${found.has(source.path)} ${named.length}`);
}

export function explain(problem: Problem): string {
  const fields = Object.entries(problem.errors ?? {}).map(([field, messages]) => `${field}: ${messages.join(", ")}`);
  return `${problem.code} (${problem.status}, trace ${problem.traceId}): ${problem.detail} ${fields.join("; ")}`;
}

// The union is closed: a code the document does not list is a compile error.
// @ts-expect-error "quiz_cooldwn" is not a problem code
export const misspelt: ProblemCode = "quiz_cooldwn";
