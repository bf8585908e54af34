/** @nv/cli and the folders of its @nv/* dependencies, transitively. */
export declare function cliPackages(cliDir?: string): string[];
/** Why the built CLI cannot be used (a short reason), or '' when it is fresh. */
export declare function staleReason(cliDir?: string): string;
