// Writes the generated pages before `vitepress build` (stack.md §6): the CLI reference from the CLI's own
// `--help` (captured in-process, so a new command appears without touching the docs), the error-code table
// from every package's registry, and one page per package README. All outputs are git-ignored.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collectCliHelp, renderCliReference } from '../.vitepress/cli-help.ts';
import { renderErrorCodesMarkdown } from '../.vitepress/error-codes.ts';
import { PACKAGES } from '../.vitepress/packages.ts';

const DOCS = fileURLToPath(new URL('..', import.meta.url));
const REPO = join(DOCS, '..', '..');

// Generated pages are formatted like the rest of the repository, so `prettier --check .` passes after a build.
const prettier = await import('prettier');
const pending: Promise<void>[] = [];
function write(rel: string, text: string): void {
  const file = join(DOCS, rel);
  mkdirSync(dirname(file), { recursive: true });
  pending.push(
    (async () => {
      const options = (await prettier.resolveConfig(file)) ?? {};
      writeFileSync(file, await prettier.format(text, { ...options, filepath: file }));
    })(),
  );
}

/** Relative README links point into the repository, which the site does not serve: rewrite or unlink them. */
function siteReadme(pkg: string, text: string): string {
  // npm shows package READMEs too, so they link the toolkit README absolutely; on the site that is the home page.
  text = text.replaceAll('](https://github.com/nv-toolkit/nv#readme)', '](/)');
  return text.replace(/\]\((?!https?:|#|mailto:)([^)]+)\)/g, (_m, target: string) => {
    if (target === '../../README.md') return '](/)';
    return `](/api/@nv/${pkg}/)`;
  });
}

// The MediaTek upgrade guides include the planner's decision table from the package README, which a test of
// that package keeps equal to `LTABLE_DECISION_TABLE`: the guides show the table the code runs.
const ltableReadme = readFileSync(join(REPO, 'packages', 'mtk-nvram-ltable', 'README.md'), 'utf8');
const table = /<!-- decision-table:start -->\n([\s\S]*?)<!-- decision-table:end -->/.exec(ltableReadme)?.[1];
if (table === undefined) throw new Error('packages/mtk-nvram-ltable/README.md lost its decision-table markers');
write('generated/decision-table.md', table);

const help = await collectCliHelp();
const errors = `::: v-pre\n${renderErrorCodesMarkdown()}\n:::\n`;

write(
  'reference/cli.md',
  [
    '# CLI commands',
    '',
    "Every `nv` command with its options and an example, generated from the command line's own `--help` output",
    'at build time: the page cannot drift from the program. Numbers take decimal or `0x` hex; exit codes are',
    '0 ok, 1 bad input or failed check, 2 usage. Add `--json` to any command for one JSON document on stdout.',
    '',
    renderCliReference(help),
  ].join('\n'),
);
write(
  'zh/reference/cli.md',
  [
    '# CLI 命令',
    '',
    '每条 `nv` 命令的选项与示例，构建时直接取自命令行自身的 `--help` 输出，因此本页永远与程序一致（帮助文本为英文原文）。',
    '数字可写十进制或 `0x` 十六进制；退出码：0 成功，1 输入错误或校验失败，2 用法错误。任何命令加 `--json` 会在 stdout 输出一个 JSON 文档。',
    '',
    renderCliReference(help),
  ].join('\n'),
);
write(
  'reference/errors.md',
  [
    '# Error codes',
    '',
    'Every `NV_*` code the toolkit can return, with its meaning and what to do. `nv errors <code>` prints the same entry; `--json` errors carry the code, the message, the absolute file offset and the item.',
    '',
    errors,
  ].join('\n'),
);
write(
  'zh/reference/errors.md',
  [
    '# 错误码',
    '',
    '工具集可能返回的全部 `NV_*` 错误码、含义及处理方法（表格内容为英文原文，与 `nv errors <code>` 输出一致）。`--json` 模式下的错误包含错误码、消息、文件绝对偏移和条目。',
    '',
    errors,
  ].join('\n'),
);
for (const pkg of PACKAGES) {
  const readme = siteReadme(pkg, readFileSync(join(REPO, 'packages', pkg, 'README.md'), 'utf8'));
  const api = `API reference: [@nv/${pkg}](/api/@nv/${pkg}/)`;
  write(`packages/${pkg}.md`, `${api}\n\n::: v-pre\n${readme}\n:::\n`);
  write(
    `zh/packages/${pkg}.md`,
    `> 本页为软件包 README 英文原文。API 参考：[@nv/${pkg}](/api/@nv/${pkg}/)\n\n::: v-pre\n${readme}\n:::\n`,
  );
}
console.log(
  `docs: ${help.length} CLI help pages, ${errors.split('\n').length - 3} error codes, ${PACKAGES.length} package pages`,
);
