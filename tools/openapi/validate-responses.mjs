// Validates real response bodies against the schemas an OpenAPI 3.1 document declares for them (JSON Schema 2020-12,
// formats checked). usage: node validate-responses.mjs <openapi.json> <samples.json>
// samples.json: [{ "path": "/courses", "method": "get", "status": "200", "mediaType": "application/json", "body": ... }]
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
  const declared = document.paths?.[sample.path]?.[sample.method]?.responses?.[sample.status]?.content?.[sample.mediaType]?.schema;
  const where = `${sample.method.toUpperCase()} ${sample.path} ${sample.status} ${sample.mediaType}`;
  if (!declared) {
    failures.push(`${where}: not declared in the document`);
    continue;
  }
  const schema = JSON.parse(JSON.stringify(declared).replaceAll('"#/components/', '"openapi.json#/components/'));
  const validate = ajv.compile(schema);
  if (!validate(sample.body)) {
    failures.push(`${where}: ${ajv.errorsText(validate.errors, { separator: "; " })}\n${JSON.stringify(sample.body).slice(0, 2000)}`);
  }
}
console.log(JSON.stringify({ checked: samples.length, failures }));
