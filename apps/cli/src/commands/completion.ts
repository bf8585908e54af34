import type { Command } from '@commander-js/extra-typings';
import type { CommandRegistrar } from './registry.ts';
import { withExample } from './registry.ts';

/** `nv completion bash|zsh`: prints a completion script built from the registered commands. */
export const registerCompletion: CommandRegistrar = (program, context) => {
  withExample(
    program
      .command('completion')
      .description('print a shell completion script (bash or zsh)')
      .argument('<shell>', 'bash or zsh')
      .action(async (shell, _options, command) => {
        const { usage } = await import('../options.ts');
        if (shell !== 'bash' && shell !== 'zsh') usage(`unsupported shell ${shell}; use bash or zsh`);
        const { bashCompletionScript, zshCompletionScript } = await import('../completion.ts');
        let root = command as unknown as Command;
        while (root.parent) root = root.parent as unknown as Command;
        const script = shell === 'bash' ? bashCompletionScript(root) : zshCompletionScript(root);
        context().result({ shell, script }, () => script);
      }),
    'nv completion bash > /etc/bash_completion.d/nv',
    'echo "source <(nv completion zsh)" >> ~/.zshrc',
  );
};
