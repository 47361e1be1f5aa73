// Lays out the built extension the way VS Code loads it: package.json (with the contributes
// section from contributes.json when package.json does not have one yet), dist/, models/ and the
// runtime dependencies. Usage: node stage-extension.mjs <repo root> <target folder>
import fs from 'node:fs';
import path from 'node:path';

const [root, target] = process.argv.slice(2);
if (!root || !target) {
  console.error('usage: node stage-extension.mjs <repo root> <target folder>');
  process.exit(2);
}
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const proposalPath = path.join(root, 'contributes.json');
if (fs.existsSync(proposalPath)) {
  const proposal = JSON.parse(fs.readFileSync(proposalPath, 'utf8'));
  const hasContributes = manifest.contributes && Object.keys(manifest.contributes).length > 0;
  if (!hasContributes) {
    manifest.contributes = proposal.contributes;
    manifest.activationEvents = proposal.activationEvents;
  }
}
if (!fs.existsSync(path.join(root, 'dist', 'extension.js'))) {
  console.error('dist/extension.js is missing: build first');
  process.exit(1);
}
fs.rmSync(target, { recursive: true, force: true });
fs.mkdirSync(target, { recursive: true });
fs.writeFileSync(path.join(target, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
fs.cpSync(path.join(root, 'dist'), path.join(target, 'dist'), { recursive: true });
if (fs.existsSync(path.join(root, 'models'))) fs.cpSync(path.join(root, 'models'), path.join(target, 'models'), { recursive: true });
for (const name of ['README.md', 'LICENSE', 'CHANGELOG.md']) {
  if (fs.existsSync(path.join(root, name))) fs.copyFileSync(path.join(root, name), path.join(target, name));
}
// The externals (onnxruntime-node, web-tree-sitter, grammars) resolve through this link; copying
// them would cost hundreds of megabytes per run.
fs.symlinkSync(path.join(root, 'node_modules'), path.join(target, 'node_modules'), 'dir');
console.log(`staged ${manifest.publisher}.${manifest.name}-${manifest.version} in ${target}`);
