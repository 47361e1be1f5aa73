// Lays out the built extension the way VS Code loads it: package.json, dist/, models/ and the
// runtime dependencies. Usage: node stage-extension.mjs <repo root> <target folder> [bundle folder]
// where the optional bundle folder's extension.js replaces dist/extension.js (the stub-engine build).
import fs from 'node:fs';
import path from 'node:path';

const [root, target, bundle] = process.argv.slice(2);
if (!root || !target) {
  console.error('usage: node stage-extension.mjs <repo root> <target folder>');
  process.exit(2);
}
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
if (!bundle && !fs.existsSync(path.join(root, 'dist', 'extension.js'))) {
  console.error('dist/extension.js is missing: build first');
  process.exit(1);
}
fs.rmSync(target, { recursive: true, force: true });
fs.mkdirSync(target, { recursive: true });
fs.writeFileSync(path.join(target, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
if (fs.existsSync(path.join(root, 'dist'))) fs.cpSync(path.join(root, 'dist'), path.join(target, 'dist'), { recursive: true });
if (bundle) fs.cpSync(bundle, path.join(target, 'dist'), { recursive: true });
if (fs.existsSync(path.join(root, 'models'))) fs.cpSync(path.join(root, 'models'), path.join(target, 'models'), { recursive: true });
for (const name of ['README.md', 'LICENSE', 'CHANGELOG.md']) {
  if (fs.existsSync(path.join(root, name))) fs.copyFileSync(path.join(root, name), path.join(target, name));
}
// The externals (onnxruntime-node, web-tree-sitter, grammars) resolve through this link; copying
// them would cost hundreds of megabytes per run.
fs.symlinkSync(path.join(root, 'node_modules'), path.join(target, 'node_modules'), 'dir');
console.log(`staged ${manifest.publisher}.${manifest.name}-${manifest.version} in ${target}`);
