/*
 * The package README documents exactly the configuration keys that
 * config.d.ts declares: a key added to the schema without a line in the
 * README's tables fails here, and so does a README line for a key that does
 * not exist (a renamed or removed one).
 */
import { readFileSync } from 'fs';
import { resolve } from 'path';
import ts from 'typescript';

const PACKAGE = resolve(__dirname, '..');

/**
 * Every documented key path of the schema: properties of object types are
 * followed; an array of objects adds `[]`; any other type (a string, a list
 * of strings, a referenced type such as a schedule) ends the path.
 */
function schemaKeys(): string[] {
  const file = ts.createSourceFile(
    'config.d.ts',
    readFileSync(resolve(PACKAGE, 'config.d.ts'), 'utf8'),
    ts.ScriptTarget.Latest,
    true,
  );
  const keys: string[] = [];
  const walk = (node: ts.TypeNode | undefined, path: string) => {
    if (node && ts.isTypeLiteralNode(node)) {
      for (const member of node.members) {
        if (ts.isPropertySignature(member) && member.name) {
          walk(member.type, `${path}.${member.name.getText(file)}`);
        }
      }
      return;
    }
    if (
      node &&
      ts.isTypeReferenceNode(node) &&
      node.typeName.getText(file) === 'Array' &&
      node.typeArguments?.[0] &&
      ts.isTypeLiteralNode(node.typeArguments[0])
    ) {
      keys.push(path);
      walk(node.typeArguments[0], `${path}[]`);
      return;
    }
    keys.push(path);
  };
  file.forEachChild(statement => {
    if (
      ts.isInterfaceDeclaration(statement) &&
      statement.name.text === 'Config'
    ) {
      for (const member of statement.members) {
        if (ts.isPropertySignature(member) && member.name) {
          const name = member.name.getText(file);
          // The top-level object is the plugin's namespace, not a key.
          if (member.type && ts.isTypeLiteralNode(member.type)) {
            for (const inner of member.type.members) {
              if (ts.isPropertySignature(inner) && inner.name) {
                walk(inner.type, `${name}.${inner.name.getText(file)}`);
              }
            }
          }
        }
      }
    }
  });
  return keys.sort();
}

/** The keys in the first column of the README's configuration tables. */
function readmeKeys(): string[] {
  const readme = readFileSync(resolve(PACKAGE, 'README.md'), 'utf8');
  const section = readme.split(/^## Configuration$/m)[1]?.split(/^## /m)[0];
  expect(section).toBeDefined();
  return [...section!.matchAll(/^\| `(releaseReadiness\.[^`]+)` +\|/gm)]
    .map(match => match[1])
    .sort();
}

describe('the configuration documented in README.md', () => {
  it('lists every key config.d.ts declares, and no other', () => {
    const declared = schemaKeys();
    // The walk itself is checked: it finds nested and array keys.
    expect(declared).toContain('releaseReadiness.policy.adminGroups');
    expect(declared).toContain('releaseReadiness.windows[].scope.tags');
    expect(declared).toContain('releaseReadiness.reminders');
    expect(readmeKeys()).toEqual(declared);
  });
});
