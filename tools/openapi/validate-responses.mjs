// Validates real response bodies against the schemas an OpenAPI 3.1 document declares for them (JSON Schema 2020-12,
// formats checked). usage: node validate-responses.mjs <openapi.json> <samples.json>
// samples.json: [{ "path": "/courses", "method": "get", "status": "200", "mediaType": "application/json", "body": ... }]
// A sample with "request": true is checked against the operation's request body schema instead (no status), and one
// with "valid": false must fail it: a body the API refuses is one the document's schema refuses too.
// Prints { "checked": n, "failures": ["..."] }.
import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const [documentFile, samplesFile] = process.argv.slice(2);
const document = JSON.parse(readFileSync(documentFile, "utf8"));
const samples = JSON.parse(readFileSync(samplesFile, "utf8"));

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ $id: "openapi.json", components: document.components });

const failures = [];
for (const sample of samples) {
  const operation = document.paths?.[sample.path]?.[sample.method];
  const declared = sample.request
    ? operation?.requestBody?.content?.[sample.mediaType]?.schema
    : operation?.responses?.[sample.status]?.content?.[sample.mediaType]?.schema;
  const where = `${sample.method.toUpperCase()} ${sample.path} ${sample.request ? "request" : sample.status} ${sample.mediaType}`;
  if (!declared) {
    failures.push(`${where}: not declared in the document`);
    continue;
  }
  const schema = JSON.parse(JSON.stringify(declared).replaceAll('"#/components/', '"openapi.json#/components/'));
  const validate = ajv.compile(schema);
  const valid = validate(sample.body);
  if (sample.valid === false && valid) {
    failures.push(`${where}: the schema accepts a body the API refuses\n${JSON.stringify(sample.body).slice(0, 2000)}`);
  } else if (sample.valid !== false && !valid) {
    failures.push(`${where}: ${ajv.errorsText(validate.errors, { separator: "; " })}\n${JSON.stringify(sample.body).slice(0, 2000)}`);
  }
}
console.log(JSON.stringify({ checked: samples.length, failures }));
