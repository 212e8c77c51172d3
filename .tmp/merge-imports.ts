/* One-off: merges import declarations of the same module (values into one, type-only into one). */
import { readFileSync, writeFileSync } from 'node:fs';
import ts from 'typescript';
for (const f of process.argv.slice(2)) {
  const text = readFileSync(f, 'utf8');
  const sf = ts.createSourceFile(f, text, ts.ScriptTarget.Latest, true);
  type Group = { first: ts.ImportDeclaration; names: string[]; all: ts.ImportDeclaration[] };
  const groups = new Map<string, Group>();
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier)) continue;
    const c = st.importClause;
    if (!c || c.name || !c.namedBindings || !ts.isNamedImports(c.namedBindings)) continue;
    const key = `${c.isTypeOnly ? 'type ' : ''}${st.moduleSpecifier.text}`;
    const names = c.namedBindings.elements.map((e) => e.getText(sf));
    const g = groups.get(key);
    if (g) { g.names.push(...names); g.all.push(st); } else groups.set(key, { first: st, names, all: [st] });
  }
  const edits: { start: number; end: number; text: string }[] = [];
  for (const [key, g] of groups) {
    if (g.all.length < 2) continue;
    const isType = key.startsWith('type ');
    const spec = (g.first.moduleSpecifier as ts.StringLiteral).text;
    const uniq = [...new Set(g.names)];
    edits.push({ start: g.first.getStart(sf), end: g.first.getEnd(), text: `import ${isType ? 'type ' : ''}{ ${uniq.join(', ')} } from '${spec}';` });
    for (const d of g.all.slice(1)) {
      let end = d.getEnd();
      if (text[end] === '\n') end++;
      edits.push({ start: d.getFullStart() === d.getStart(sf) ? d.getStart(sf) : d.getStart(sf), end, text: '' });
    }
  }
  let out = text;
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  if (out !== text) writeFileSync(f, out);
}
