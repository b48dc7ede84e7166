// One-way dependency rule between the top-level folders (DESIGN.md, "The parts").
//
// Each folder lists the folders it may import from. `protocol/` and `console/` also may not touch
// node:* built-ins (protocol runs in the browser too), and protocol may import no package but zod.
import path from 'node:path';
import { builtinModules } from 'node:module';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');

/** folder -> folders (or folder/subfolder prefixes) it may import from */
export const ALLOWED = {
  protocol: ['protocol'],
  hardware: ['protocol', 'hardware'],
  'firmware-sim': ['protocol', 'hardware', 'firmware-sim'],
  gateway: ['protocol', 'hardware', 'gateway'],
  console: ['console', 'protocol/schemas'],
};

/** folders that may not import node built-ins, and the npm packages they may import */
const PURE = {
  protocol: ['zod'],
  console: ['zod', 'leaflet', 'topojson-client', 'world-atlas'],
};

const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

function topFolder(rel) {
  return rel.split(path.sep)[0];
}

function packageName(spec) {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** @type {import('eslint').Rule.RuleModule} */
const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'enforce the one-way dependency rule between top-level folders' },
    schema: [],
  },
  create(context) {
    const file = path.resolve(context.filename);
    const rel = path.relative(ROOT, file);
    const from = topFolder(rel);
    const allowed = ALLOWED[from];
    if (!allowed) return {}; // test/, bench/, tools/: may import anything

    function check(node, source) {
      if (typeof source !== 'string') return;
      if (source.startsWith('.')) {
        const target = path.relative(ROOT, path.resolve(path.dirname(file), source));
        const ok = allowed.some((a) => target === a || target.startsWith(a + path.sep));
        if (!ok) {
          context.report({ node, message: `${from}/ may not import from ${target} (allowed: ${allowed.join(', ')})` });
        }
        return;
      }
      const pure = PURE[from];
      if (!pure) return;
      if (BUILTINS.has(source)) {
        context.report({ node, message: `${from}/ must not import Node built-in '${source}' (it runs in the browser)` });
      } else if (!pure.includes(packageName(source))) {
        context.report({ node, message: `${from}/ may import only ${pure.join(', ')}, not '${source}'` });
      }
    }

    return {
      ImportDeclaration: (n) => check(n, n.source.value),
      ExportNamedDeclaration: (n) => n.source && check(n, n.source.value),
      ExportAllDeclaration: (n) => check(n, n.source.value),
      ImportExpression: (n) => n.source.type === 'Literal' && check(n, n.source.value),
    };
  },
};

export default { rules: { 'one-way': rule } };
