// Runs the Khronos glTF-Validator (npm gltf-validator) on one file and prints its JSON report.
// Usage: node bench/khronos-validate.mjs FILE [--summary]   (GLTF_VALIDATOR=path/to/gltf-validator/module.mjs)
import fs from 'fs';
import path from 'path';

const modulePath = process.env.GLTF_VALIDATOR || '/work/tools/npm/node_modules/gltf-validator/module.mjs';
const { validateBytes } = await import(modulePath);
const file = process.argv[2];
const summary = process.argv.includes('--summary');
const folder = path.dirname(file);
const report = await validateBytes(new Uint8Array(fs.readFileSync(file)), {
  uri: path.basename(file),
  maxIssues: 100,
  externalResourceFunction: (uri) => new Promise((resolve, reject) => {
    try {
      resolve(new Uint8Array(fs.readFileSync(path.join(folder, decodeURIComponent(uri)))));
    } catch (e) {
      reject(e.toString());
    }
  }),
});
if (summary) {
  const i = report.issues;
  console.log(`${file}: ${i.numErrors} errors, ${i.numWarnings} warnings, ${i.numInfos} infos, ${i.numHints} hints`);
} else {
  console.log(JSON.stringify(report, null, 2));
}
