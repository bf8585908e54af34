/** @nv/cli and the folders of its @nv/* dependencies, transitively. */
export declare function cliPackages(cliDir?: string): string[];
/** Why the built CLI cannot be used (a short reason), or '' when it is fresh. */
export declare function staleReason(cliDir?: string): string;
/** `name` of the workspace root package.json whose `nv` script is the launcher. */
export declare const WORKSPACE_PACKAGE_NAME: string;
/** The folder the CLI runs in: INIT_CWD only for this workspace's `nv` script still at the workspace root. */
export declare function userFolder(env: Readonly<Record<string, string | undefined>>, cwd: string): string;
