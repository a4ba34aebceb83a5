// `npm run l10n`: writes l10n/bundle.l10n.json from the strings in src/ and lists the keys the zh-cn bundle lacks.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { englishBundle, extractStrings } from './l10n-strings.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { strings, problems } = extractStrings(root);
for (const problem of problems) console.error(problem);
const bundle = englishBundle(strings);
writeFileSync(join(root, 'l10n/bundle.l10n.json'), JSON.stringify(bundle, null, 2) + '\n');
const zh = JSON.parse(readFileSync(join(root, 'l10n/bundle.l10n.zh-cn.json'), 'utf8'));
const missing = Object.keys(bundle).filter((key) => !(key in zh));
const extra = Object.keys(zh).filter((key) => !(key in bundle));
console.log(`${Object.keys(bundle).length} strings; zh-cn lacks ${missing.length}, has ${extra.length} unused`);
for (const key of missing) console.log(`  missing: ${JSON.stringify(key)}`);
for (const key of extra) console.log(`  unused:  ${JSON.stringify(key)}`);
process.exit(problems.length > 0 ? 1 : 0);
