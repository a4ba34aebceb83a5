// Finds every localized string in src/: `vscode.l10n.t('…')`, `l10n.t('…')` and `t('…')` where `t` is imported
// from our l10n module. The English text is the key (VS Code's l10n convention). Used by `npm run l10n` to
// write l10n/bundle.l10n.json, and by the unit tests to check that the bundles are complete and current.
import ts from 'typescript';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

function sourceFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Names under which `t` from our own l10n module is imported in this file. */
function importedT(source) {
  const names = new Set();
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    if (!/(^|\/)l10n$/.test(statement.moduleSpecifier.text)) continue;
    const bindings = statement.importClause?.namedBindings;
    if (bindings && ts.isNamedImports(bindings)) {
      for (const element of bindings.elements) {
        if ((element.propertyName ?? element.name).text === 't') names.add(element.name.text);
      }
    }
  }
  return names;
}

function isLocalizeCall(node, tNames) {
  const callee = node.expression;
  if (ts.isIdentifier(callee)) return tNames.has(callee.text);
  if (ts.isPropertyAccessExpression(callee) && callee.name.text === 't') {
    const target = callee.expression.getText();
    return target === 'l10n' || target === 'vscode.l10n';
  }
  return false;
}

/** The English class names, in label order, from the CLASS_NAMES array of src/domain/classes.ts. */
export function classNames(root) {
  const text = readFileSync(join(root, 'src', 'domain', 'classes.ts'), 'utf8');
  const list = /CLASS_NAMES = \[([^\]]*)\]/.exec(text);
  if (!list) throw new Error('src/domain/classes.ts has no CLASS_NAMES array');
  return [...list[1].matchAll(/'([^']+)'/g)].map((m) => m[1]);
}

/**
 * English -> English of every string the dashboard webview shows: its `l10n.t('English')` calls under
 * src/webview, and the class names. For the preview harness and the tests that read the dashboard.
 */
export function dashboardEnglishStrings(root) {
  const { strings } = extractStrings(root, join('src', 'webview'));
  return new Map([...strings.keys()].map((english) => [english, english]));
}

/**
 * Every localized string under `folder` (all of src/ unless told), with the class names.
 * @returns {{ strings: Map<string, string[]>, problems: string[] }} key -> places it is used
 */
export function extractStrings(root, folder = 'src') {
  const strings = new Map();
  const problems = [];
  for (const file of sourceFiles(join(root, folder))) {
    const text = readFileSync(file, 'utf8');
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const tNames = importedT(source);
    const visit = (node) => {
      if (ts.isCallExpression(node) && isLocalizeCall(node, tNames)) {
        const where = `${relative(root, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
        const first = node.arguments[0];
        if (first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))) {
          strings.set(first.text, [...(strings.get(first.text) ?? []), where]);
        } else {
          problems.push(`${where}: the first argument of a localize call must be a string literal`);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  // The class names are keys too: written once, in label order, in src/domain/classes.ts (translateClassName).
  const classes = join(root, 'src', 'domain', 'classes.ts');
  for (const name of classNames(root)) strings.set(name, [...(strings.get(name) ?? []), relative(root, classes)]);
  return { strings, problems };
}

/** The English bundle: each key maps to itself, sorted for stable diffs. */
export function englishBundle(strings) {
  return Object.fromEntries([...strings.keys()].sort().map((key) => [key, key]));
}
