// Extracts the runnable blocks of a guide and decides which `nv` commands they need. A guide's ```sh blocks
// run in order in one scratch folder (the first one is the guide's setup); ```text blocks are never run.
import { readFileSync } from 'node:fs';

/** The command paths of cli.md (binding names) — a block needs the longest one its `nv` words start with. */
export const CLI_COMMANDS: readonly string[] = [
  'qcom nv compile',
  'qcom qcn inspect',
  'qcom qcn to-efs',
  'qcom qcn diff',
  'qcom qcn convert',
  'qcom qcn decode',
  'qcom efs to-qcn',
  'qcom efs pack',
  'qcom efs ls',
  'qcom efs unpack',
  'qcom efs lint',
  'qcom efs repack',
  'qcom fsg keygen',
  'qcom fsg sign',
  'qcom fsg img',
  'qcom fsg inspect',
  'qcom fsg verify',
  'qcom fsg root-hash',
  'qcom fsg unwrap',
  'qcom mbn build',
  'qcom mbn inspect',
  'qcom mbn to-xml',
  'qcom mbn diff',
  'qcom mbn lint',
  'qcom diag info',
  'qcom diag nv read',
  'qcom diag nv write',
  'qcom diag efs ls',
  'qcom diag efs get',
  'qcom diag efs put',
  'qcom diag efs rm',
  'qcom diag efs pull',
  'qcom diag backup',
  'qcom diag restore',
  'mtk ltable import',
  'mtk ltable lint',
  'mtk ltable plan',
  'mtk lid decode',
  'mtk lid encode',
  'mtk lid verify',
  'mtk lid-bit parse',
  'mtk nvram inspect',
  'mtk nvram patch',
  'mtk nvram build',
  'mtk nvdata ls',
  'mtk nvdata extract',
  'mtk nvdata verify',
  'mtk nvdata put',
  'mtk nvdata build',
  'mtk ap ls',
  'mtk ap decode',
  'mtk ap verify',
  'sim qcom boot',
  'sim qcom mcfg',
  'sim qcom diag-serve',
  'sim mtk init',
  'sim mtk upgrade',
  'sim mtk read',
  'sim mtk write',
  'sim mtk boot',
  'sim mtk dump',
  'demo',
  'errors',
  'completion',
];

/** The ```sh blocks of a Markdown file, in order. */
export function shellBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
}

/** A block without comments and blank lines: what must be equal between the English and Chinese guide. */
export function commandsOnly(block: string): string {
  return block
    .split('\n')
    .filter((l) => l.trim() !== '' && !/^\s*#/.test(l))
    .join('\n');
}

/** The `nv` commands a block runs (cli.md paths), in order of appearance, without repeats. */
export function nvCommandsOf(block: string): string[] {
  const found: string[] = [];
  for (const m of block.matchAll(/(?:^|[\s;&|(`])nv((?:\s+--?[a-z][a-z-]*)*)((?:\s+[a-z][a-z0-9-]*)+)/gm)) {
    const words = m[2]!.trim().split(/\s+/);
    const match = CLI_COMMANDS.filter((c) => {
      const parts = c.split(' ');
      return parts.every((p, i) => words[i] === p);
    }).sort((a, b) => b.length - a.length)[0];
    if (match === undefined) throw new Error(`unknown nv command in a guide: nv ${words.join(' ')}`);
    if (!found.includes(match)) found.push(match);
  }
  return found;
}

/** Reads a guide by its path relative to apps/docs. */
export function readGuide(docsDir: string, rel: string): string {
  return readFileSync(`${docsDir}${rel}`, 'utf8');
}
